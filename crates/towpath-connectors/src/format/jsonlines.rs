//! JSON Lines: one object per line, fields by name (or by JSON pointer).
//!
//! The fast path finds each column's slice of the line with a scanner for flat objects (see
//! `json_scan`), else with serde_json (`RawValue`s, unknown fields skipped without being built);
//! each slice is then parsed into its column's type. Columns with a JSON pointer force a full `serde_json::Value` of the line.
//! Differences from Pathway 0.33: a missing optional field is None (Pathway: error); a line that
//! is valid JSON but not an object is reported (Pathway drops it silently). Blank lines are skipped
//! as in Pathway.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use towpath_core::Value;

use super::json_scan::scan_flat_object;
use super::{line_text, missing_value, strip_cr, Layout, LineFormat};
use crate::parse::{dtype_name, from_json, from_raw_json};

/// Parses JSON Lines records into a layout's fields.
pub struct JsonLines {
    layout: std::sync::Arc<Layout>,
    /// JSON pointer per field, when any field has one.
    pointers: Option<Vec<String>>,
    /// Byte ranges in the current line of each field's raw value.
    slots: Vec<Option<(usize, usize)>>,
}

impl JsonLines {
    /// A parser for `layout`; `field_paths` maps column names to JSON pointers.
    pub fn new(layout: std::sync::Arc<Layout>, field_paths: &[(String, String)]) -> Self {
        let pointers = (!field_paths.is_empty()).then(|| {
            layout
                .fields
                .iter()
                .map(
                    |c| match field_paths.iter().find(|(name, _)| *name == c.name) {
                        Some((_, p)) => p.clone(),
                        None => format!("/{}", c.name.replace('~', "~0").replace('/', "~1")),
                    },
                )
                .collect()
        });
        let slots = vec![None; layout.fields.len()];
        Self {
            layout,
            pointers,
            slots,
        }
    }

    fn type_error(&self, i: usize, raw: &str) -> String {
        let c = &self.layout.fields[i];
        format!(
            "failed to create a field {:?} with type {} from json payload: {raw}",
            c.name,
            dtype_name(&c.dtype)
        )
    }

    fn absent(&self, i: usize, line: &str) -> String {
        format!("field {:?} is absent in {line}", self.layout.fields[i].name)
    }

    /// Parses a line already checked to be UTF-8 (one pass over the whole line is cheaper than
    /// serde_json checking each short string of a byte slice).
    fn parse_fast(
        &mut self,
        line: &str,
        errors: &mut Vec<String>,
        values: &mut Vec<Value>,
    ) -> bool {
        if !self.scan(line) {
            if let Err(e) = self.deserialize(line) {
                errors.push(format!("malformed JSON ({e}) in line: {line}"));
                return false;
            }
        }
        for (i, column) in self.layout.fields.iter().enumerate() {
            let value = match self.slots[i] {
                Some((start, end)) => {
                    let raw = &line[start..end];
                    from_raw_json(raw, &column.dtype).unwrap_or_else(|| {
                        errors.push(self.type_error(i, raw));
                        Value::Error
                    })
                }
                None => missing_value(column, errors, || self.absent(i, line)),
            };
            values.push(value);
        }
        true
    }

    /// The fast path: fills the slots from a flat object; false when the line needs serde_json.
    fn scan(&mut self, line: &str) -> bool {
        self.slots.iter_mut().for_each(|s| *s = None);
        let (layout, slots, base) = (&self.layout, &mut self.slots, line.as_ptr() as usize);
        scan_flat_object(line, |key, raw| {
            if let Some(i) = layout.field_index(key) {
                let start = raw.as_ptr() as usize - base;
                slots[i] = Some((start, start + raw.len()));
            }
        })
        .is_some()
    }

    /// The general path: fills the slots with serde_json.
    fn deserialize(&mut self, line: &str) -> Result<(), serde_json::Error> {
        self.slots.iter_mut().for_each(|s| *s = None);
        let mut de = serde_json::Deserializer::from_str(line);
        let base = line.as_ptr() as usize;
        let seed = Fields {
            layout: &self.layout,
            slots: &mut self.slots,
            base,
        };
        seed.deserialize(&mut de).and_then(|_| de.end())
    }

    fn parse_pointers(
        &self,
        line: &str,
        errors: &mut Vec<String>,
        values: &mut Vec<Value>,
    ) -> bool {
        let doc: serde_json::Value = match serde_json::from_str(line) {
            Ok(v @ serde_json::Value::Object(_)) => v,
            Ok(_) => {
                errors.push(format!(
                    "malformed JSON (expected an object) in line: {line}"
                ));
                return false;
            }
            Err(e) => {
                errors.push(format!("malformed JSON ({e}) in line: {line}"));
                return false;
            }
        };
        let pointers = self.pointers.as_ref().expect("pointer mode");
        let parsed = self.layout.fields.iter().enumerate().map(|(i, column)| {
            match doc.pointer(&pointers[i]) {
                Some(v) => from_json(v, &column.dtype).unwrap_or_else(|| {
                    errors.push(self.type_error(i, &v.to_string()));
                    Value::Error
                }),
                None => missing_value(column, errors, || self.absent(i, line)),
            }
        });
        values.extend(parsed);
        true
    }
}

impl LineFormat for JsonLines {
    fn parse(&mut self, line: &[u8], errors: &mut Vec<String>, out: &mut Vec<Value>) -> bool {
        let line = strip_cr(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        let Ok(text) = std::str::from_utf8(line) else {
            errors.push(format!("line is not valid UTF-8: {}", line_text(line)));
            return false;
        };
        if self.pointers.is_some() {
            self.parse_pointers(text, errors, out)
        } else {
            self.parse_fast(text, errors, out)
        }
    }
}

/// Deserializes an object, recording where each known field's value lies in the line.
struct Fields<'a> {
    layout: &'a Layout,
    slots: &'a mut [Option<(usize, usize)>],
    /// Address of the line's first byte, to turn borrowed slices into ranges.
    base: usize,
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(index) = map.next_key_seed(FieldName(self.layout))? {
            match index {
                Some(i) => {
                    let raw: &'de RawValue = map.next_value()?;
                    let start = raw.get().as_ptr() as usize - self.base;
                    self.slots[i] = Some((start, start + raw.get().len()));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Maps an object key to a field position (None for fields not in the schema).
struct FieldName<'a>(&'a Layout);

impl<'de> DeserializeSeed<'de> for FieldName<'_> {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldName<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        Ok(self.0.field_index(name))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use towpath_core::{ColumnSchema, DType, Schema};

    use super::*;

    #[test]
    fn the_scanner_finds_what_serde_json_finds() {
        let columns = ["a", "b", "é"].map(|n| ColumnSchema {
            name: n.into(),
            dtype: DType::Any,
            primary_key: false,
            default: None,
        });
        let layout = Arc::new(Layout::new(
            &Schema {
                columns: columns.to_vec(),
            },
            false,
        ));
        let mut parser = JsonLines::new(layout, &[]);
        let lines = [
            r#"{"a":1,"b":"x","c":true}"#,
            r#" {"b" : -0.5e-3 , "a":null,"é":"ü"} "#,
            r#"{"a":1,"a":2}"#,
            r#"{}"#,
            r#"{"c":1,"a":false}"#,
        ];
        for line in lines {
            assert!(parser.scan(line), "{line}");
            let scanned = parser.slots.clone();
            parser.deserialize(line).unwrap();
            assert_eq!(scanned, parser.slots, "{line}");
        }
    }
}
