//! Push sources: rows that the embedder pushes from its own threads (a Python
//! `ConnectorSubject`), through a [`PushQueue`] that the live loop drains on worker 0.
//!
//! With primary-key columns a pushed row replaces the row with the same key (its old value is
//! retracted) and a deletion removes the row with that key. Without, every pushed row is a new
//! row and a deletion removes one row with equal values; copies of equal values get distinct
//! ids (`content, copy number`) so that a deletion knows which id to retract without the source
//! keeping every row.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, OnceLock};
use std::thread::Thread;

use towpath_core::{IdBuildHasher, Key, Row, Value};
use towpath_plan::PushSpec;

use crate::errors::error_row;
use crate::types::Updates;

/// One thing the embedder pushes.
#[derive(Clone, Debug, PartialEq)]
pub enum PushEvent {
    /// A row, one value per column (an upsert when the source has a primary key).
    Upsert(Vec<Value>),
    /// Remove the row with these values (with a primary key: with this key).
    Delete(Vec<Value>),
    /// A record that could not become a row (missing field, wrong type): goes to the error log.
    Invalid(String),
    /// Everything pushed so far forms a commit.
    Commit,
    /// The source is finished; what it pushed is committed.
    Close,
    /// The source failed: what it pushed since its last commit is dropped and the run stops
    /// with this message, after the complete times are flushed.
    Fail(String),
}

impl PushEvent {
    fn ends_commit(&self) -> bool {
        matches!(self, PushEvent::Commit | PushEvent::Close | PushEvent::Fail(_))
    }
}

/// The queue between an embedder's thread and the engine. Pushing never blocks on the engine.
#[derive(Debug, Default)]
pub struct PushQueue {
    events: Mutex<VecDeque<PushEvent>>,
    /// The worker thread draining the queue, unparked by every push so rows are seen at once.
    waker: OnceLock<Thread>,
}

impl PushQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `event` and wakes the engine.
    pub fn push(&self, event: PushEvent) {
        self.extend(std::iter::once(event));
    }

    /// Appends `events` and wakes the engine once.
    pub fn extend(&self, events: impl IntoIterator<Item = PushEvent>) {
        self.events.lock().unwrap_or_else(|p| p.into_inner()).extend(events);
        if let Some(thread) = self.waker.get() {
            thread.unpark();
        }
    }

    /// Events waiting to be drained.
    pub fn len(&self) -> usize {
        self.events.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn set_waker(&self, thread: Thread) {
        let _ = self.waker.set(thread);
    }

    /// Moves events into `out`, stopping after the first one that ends a commit (so rows pushed
    /// after a commit wait for the next one).
    fn take_until_commit(&self, out: &mut Vec<PushEvent>) {
        let mut events = self.events.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(event) = events.pop_front() {
            let end = event.ends_commit();
            out.push(event);
            if end {
                break;
            }
        }
    }
}

/// Worker 0's side of a push source: turns events into updates, keeping what upserts and
/// deletions need.
pub struct PushState {
    queue: std::sync::Arc<PushQueue>,
    node: usize,
    name: String,
    primary_key: Vec<usize>,
    /// With a primary key: the current row of each key.
    rows: HashMap<Key, Row, IdBuildHasher>,
    /// Without: how many rows with each content are in the table.
    copies: HashMap<Key, u64, IdBuildHasher>,
    salt: Value,
    /// The embedder asked for a commit; nothing more is drained until it happened.
    pub(crate) commit_requested: bool,
    pub(crate) closed: bool,
    pub(crate) failed: Option<String>,
    scratch: Vec<PushEvent>,
}

impl PushState {
    pub fn new(node: usize, spec: &PushSpec, queue: std::sync::Arc<PushQueue>) -> Self {
        let primary_key = spec.schema.columns.iter().enumerate().filter(|(_, c)| c.primary_key).map(|(i, _)| i).collect();
        Self {
            queue,
            node,
            name: spec.name.clone().unwrap_or_else(|| format!("python source #{}", spec.source)),
            primary_key,
            rows: HashMap::default(),
            copies: HashMap::default(),
            salt: Value::Int(spec.source as i64),
            commit_requested: false,
            closed: false,
            failed: None,
            scratch: Vec::new(),
        }
    }

    /// The source's name, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Events are waiting in the queue.
    pub fn has_queued(&self) -> bool {
        !self.queue.is_empty()
    }

    /// Registers the thread that drains this source.
    pub fn set_waker(&self, thread: Thread) {
        self.queue.set_waker(thread);
    }

    /// Drains the queue up to the next commit boundary into `rows` and `errors`.
    pub fn poll(&mut self, rows: &mut Updates, errors: &mut Updates) {
        if self.commit_requested || self.closed || self.failed.is_some() {
            return;
        }
        let mut events = std::mem::take(&mut self.scratch);
        self.queue.take_until_commit(&mut events);
        for event in events.drain(..) {
            match event {
                PushEvent::Upsert(values) => self.upsert(values, rows),
                PushEvent::Delete(values) => self.delete(values, rows, errors),
                PushEvent::Invalid(message) => self.error(&message, errors),
                PushEvent::Commit => self.commit_requested = true,
                PushEvent::Close => self.closed = true,
                PushEvent::Fail(message) => self.failed = Some(message),
            }
        }
        self.scratch = events;
    }

    fn pk_of(&self, values: &[Value]) -> Key {
        let pk: Vec<Value> = self.primary_key.iter().map(|&i| values[i].clone()).collect();
        Key::for_values(&pk)
    }

    /// The id of copy `n` (from 0) of a row with content `content`.
    fn copy_id(&self, content: Key, n: u64) -> Key {
        Key::for_values(&[self.salt.clone(), Value::Pointer(content), Value::Int(n as i64)])
    }

    fn upsert(&mut self, values: Vec<Value>, rows: &mut Updates) {
        let row = Row::from(values);
        if self.primary_key.is_empty() {
            let content = Key::for_values(&row);
            let n = self.copies.entry(content).or_default();
            let id = *n;
            *n += 1;
            rows.push(((self.copy_id(content, id), row), 1));
            return;
        }
        let key = self.pk_of(&row);
        if let Some(old) = self.rows.insert(key, row.clone()) {
            rows.push(((key, old), -1));
        }
        rows.push(((key, row), 1));
    }

    fn delete(&mut self, values: Vec<Value>, rows: &mut Updates, errors: &mut Updates) {
        if self.primary_key.is_empty() {
            let content = Key::for_values(&values);
            match self.copies.get_mut(&content) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    let id = *n;
                    if id == 0 {
                        self.copies.remove(&content);
                    }
                    rows.push(((self.copy_id(content, id), Row::from(values)), -1));
                }
                _ => self.error(&format!("delete of a row that is not in the table: {}", render(&values)), errors),
            }
            return;
        }
        let key = self.pk_of(&values);
        match self.rows.remove(&key) {
            Some(old) => rows.push(((key, old), -1)),
            None => {
                let pk: Vec<Value> = self.primary_key.iter().map(|&i| values[i].clone()).collect();
                self.error(&format!("delete of a primary key that is not in the table: {}", render(&pk)), errors)
            }
        }
    }

    fn error(&self, message: &str, errors: &mut Updates) {
        let message = format!("{}: {message}", self.name);
        let position = Key::for_values(&[self.salt.clone(), Value::from(message.as_str())]);
        errors.push((error_row(self.node, position, &message, ""), 1));
    }
}

fn render(values: &[Value]) -> String {
    let items: Vec<String> = values.iter().map(towpath_connectors::render::json_text).collect();
    format!("({})", items.join(", "))
}
