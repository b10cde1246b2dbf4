//! `format="csv"` for Kafka reads: each message is one CSV record whose fields are the schema's
//! columns in order (no header). Pathway 0.33's `pw.io.kafka.read` refuses `format="csv"` (its
//! type hint allows raw, plaintext and json only); towpath reads records as its CSV file reader
//! parses cells. A record with another number of fields is an error in the error log.

use std::sync::Arc;

use csv::ByteRecord;
use towpath_connectors::format::{Layout, LineFormat};
use towpath_connectors::parse::{dtype_name, parse_text};
use towpath_core::Value;
use towpath_plan::CsvSettings;

/// Parses one message as one CSV record.
pub struct CsvMessage {
    layout: Arc<Layout>,
    builder: csv::ReaderBuilder,
    record: ByteRecord,
}

fn ascii(c: char, what: &str) -> Result<u8, String> {
    u8::try_from(c as u32)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| format!("CSV {what} must be a single ASCII character, got {c:?}"))
}

impl CsvMessage {
    /// A parser for `layout` with `settings`' dialect; a non-ASCII delimiter or quote is an error.
    pub fn new(layout: Arc<Layout>, settings: &CsvSettings) -> Result<Self, String> {
        let mut builder = csv::ReaderBuilder::new();
        builder
            .has_headers(false)
            .flexible(true)
            .delimiter(ascii(settings.delimiter, "delimiter")?)
            .quote(ascii(settings.quote, "quote")?)
            .escape(settings.escape.map(|c| ascii(c, "escape")).transpose()?)
            .double_quote(settings.enable_double_quote_escapes)
            .comment(settings.comment_character.map(|c| ascii(c, "comment character")).transpose()?);
        Ok(Self { layout, builder, record: ByteRecord::new() })
    }
}

impl LineFormat for CsvMessage {
    fn parse(&mut self, line: &[u8], errors: &mut Vec<String>, out: &mut Vec<Value>) -> bool {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut reader = self.builder.from_reader(line);
        match reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => self.record.clear(),
            Err(e) => {
                errors.push(format!("malformed CSV message: {e}: {}", String::from_utf8_lossy(line)));
                return false;
            }
        }
        let n = self.layout.fields.len();
        if self.record.len() != n {
            errors.push(format!(
                "expected {n} CSV fields (the schema's columns in order), found {}: {}",
                self.record.len(),
                String::from_utf8_lossy(line)
            ));
            return false;
        }
        for (column, cell) in self.layout.fields.iter().zip(self.record.iter()) {
            let parsed = std::str::from_utf8(cell).map_err(|e| e.to_string()).and_then(|t| parse_text(t, &column.dtype));
            out.push(parsed.unwrap_or_else(|reason| {
                errors.push(format!(
                    "failed to parse value {:?} at field {:?} according to the type {} in schema: {reason}",
                    String::from_utf8_lossy(cell),
                    column.name,
                    dtype_name(&column.dtype)
                ));
                Value::Error
            }));
        }
        true
    }
}
