//! CSV uploads from the console: a file of records (the batch CSV of [`crate::batch`]) becomes
//! a job that issues its rows one by one in the background and records its progress, so the
//! job's page can show "n of m done" while it runs and, at the end, a table of the rows that
//! failed with the raw text of each, ready to be fixed and run again.
//!
//! - Rows are read with [`batch::RowParser`] (the same columns and checks as
//!   `POST /records/batch`); this module only finds where each CSV record starts and ends, to
//!   hand back a failed row exactly as it was uploaded.
//! - Every row needs a `recordId`: a credential is issued once per record id, so running a
//!   file again (whole, or its fixed rows) issues only the rows not issued before; the others
//!   show as "already issued".
//! - Jobs live in memory ([`Uploads`], held by the [`Service`]), bounded per institution
//!   ([`MAX_JOBS`]) and per upload ([`MAX_ROWS`], [`MAX_UPLOAD_BYTES`]). A restart forgets the
//!   jobs, not the credentials: each is stored as it is issued.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use crate::batch::{self, BatchError, Format, InputRow, RowError, RowParser, RowStatus};
use crate::service::{Issuance, Service};
use crate::store::Institution;

/// Largest CSV file accepted (2 MiB: some thousands of rows).
pub const MAX_UPLOAD_BYTES: usize = 2 << 20;
/// Most data rows in one upload.
pub const MAX_ROWS: usize = 2_000;
/// Jobs kept per institution; the oldest finished one makes room for a new one.
pub const MAX_JOBS: usize = 20;

/// Why an upload could not start.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is larger than {MAX_UPLOAD_BYTES} bytes")]
    TooLarge,
    #[error("the file has no rows under its header")]
    Empty,
    #[error("the file has {rows} rows; at most {MAX_ROWS} are taken at once")]
    TooManyRows { rows: usize },
    #[error("{MAX_JOBS} uploads are still running; wait until one has finished")]
    Busy,
    /// The header row is unusable: the batch module's words.
    #[error("{0}")]
    Header(String),
}

/// A problem with a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The row has no `recordId`, so running the file again would issue it again.
    NoRecordId,
    /// What the record checks or the service said, with the CSV column when it has one.
    Checked(RowError),
}

impl Problem {
    /// The CSV column the problem is in, if it is in one.
    pub fn column(&self) -> Option<String> {
        match self {
            Problem::NoRecordId => Some("recordId".to_owned()),
            Problem::Checked(e) => e
                .column
                .clone()
                .or_else(|| e.path.as_deref().and_then(batch::csv_column_for)),
        }
    }
}

/// What became of one row.
#[derive(Clone, Debug)]
pub struct RowDone {
    /// 1-based data row number (the header is not counted).
    pub row: u64,
    pub record_id: Option<String>,
    /// Issued now, issued before ("already issued"), or not issued.
    pub status: RowStatus,
    pub credential_id: Option<String>,
    pub problems: Vec<Problem>,
    /// The row as it was in the file (without its line ending).
    raw: String,
}

/// A job's progress, as its page shows it.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    /// Rows finished, of [`Job::total`].
    pub done: usize,
    pub issued: usize,
    pub existing: usize,
    pub failed: usize,
    pub finished: bool,
    /// Finished rows, in file order.
    pub rows: Vec<RowDone>,
}

/// One upload.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub institution: String,
    /// Who uploaded it, as the audit trail names them ([`crate::console::Account::actor`]).
    pub actor: String,
    /// Their e-mail address, for the job's page.
    pub uploader: String,
    /// The file's name as the browser gave it.
    pub name: String,
    pub started: DateTime<Utc>,
    pub total: usize,
    header: String,
    progress: Mutex<Progress>,
}

impl Job {
    /// A copy of the progress so far.
    pub fn progress(&self) -> Progress {
        self.progress.lock().expect("upload progress lock").clone()
    }

    pub fn finished(&self) -> bool {
        self.progress.lock().expect("upload progress lock").finished
    }

    /// The header and the rows that were not issued, as CSV: the same columns as the upload,
    /// so the file can be fixed and uploaded again.
    pub fn failed_csv(&self) -> String {
        let progress = self.progress();
        let mut out = self.header.clone();
        out.push('\n');
        for row in progress
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Error)
        {
            out.push_str(&row.raw);
            out.push('\n');
        }
        out
    }

    fn record(&self, done: RowDone) {
        let mut p = self.progress.lock().expect("upload progress lock");
        p.done += 1;
        match done.status {
            RowStatus::Issued => p.issued += 1,
            RowStatus::Existing => p.existing += 1,
            RowStatus::Error => p.failed += 1,
        }
        p.rows.push(done);
    }
}

/// The jobs of every institution, newest last.
#[derive(Default)]
pub struct Uploads {
    jobs: Mutex<HashMap<String, VecDeque<Arc<Job>>>>,
}

impl Uploads {
    /// Keeps `job`, dropping the institution's oldest finished job when it has
    /// [`MAX_JOBS`]; refused when all of them are still running.
    fn add(&self, job: Arc<Job>) -> Result<(), UploadError> {
        let mut all = self.jobs.lock().expect("uploads lock");
        let jobs = all.entry(job.institution.clone()).or_default();
        if jobs.len() >= MAX_JOBS {
            let Some(oldest) = jobs.iter().position(|j| j.finished()) else {
                return Err(UploadError::Busy);
            };
            jobs.remove(oldest);
        }
        jobs.push_back(job);
        Ok(())
    }

    /// The job `id` of `institution`; `None` for another institution's.
    pub fn get(&self, institution: &str, id: &str) -> Option<Arc<Job>> {
        let all = self.jobs.lock().expect("uploads lock");
        all.get(institution)?.iter().find(|j| j.id == id).cloned()
    }

    /// The institution's jobs, newest first.
    pub fn list(&self, institution: &str) -> Vec<Arc<Job>> {
        let all = self.jobs.lock().expect("uploads lock");
        all.get(institution)
            .map(|jobs| jobs.iter().rev().cloned().collect())
            .unwrap_or_default()
    }
}

/// A file read and checked, ready to run.
pub struct Prepared {
    header: String,
    rows: Vec<(InputRow, String)>,
}

impl Prepared {
    pub fn rows(&self) -> usize {
        self.rows.len()
    }
}

/// Reads a CSV upload: the header must name the batch columns; each data row is parsed (a row
/// that cannot be read becomes a failed row, not a refusal of the file).
pub fn prepare(bytes: &[u8]) -> Result<Prepared, UploadError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(UploadError::TooLarge);
    }
    let mut parser = RowParser::new(Format::Csv);
    let mut parsed = VecDeque::new();
    let read = parser
        .push(bytes, &mut parsed)
        .and_then(|()| parser.finish(&mut parsed));
    match read {
        Ok(()) => {}
        Err(BatchError::Header(m)) => return Err(UploadError::Header(m)),
        Err(BatchError::TooLarge { .. }) => return Err(UploadError::TooLarge),
        Err(e) => return Err(UploadError::Header(e.to_string())),
    }
    if !parser.header_done() {
        return Err(UploadError::Header("the file is empty".into()));
    }
    if parsed.is_empty() {
        return Err(UploadError::Empty);
    }
    if parsed.len() > MAX_ROWS {
        return Err(UploadError::TooManyRows { rows: parsed.len() });
    }
    let mut raw = raw_records(bytes).into_iter();
    let header = raw.next().unwrap_or_default();
    let rows = parsed
        .into_iter()
        .map(|row| {
            let text = raw.next().unwrap_or_default();
            (row, text)
        })
        .collect();
    Ok(Prepared { header, rows })
}

/// The text of each CSV record (header first), without line endings: where the records of
/// the file start and end, as `csv_core` reads them (the batch parser's reader), so a failed
/// row goes back exactly as it came.
fn raw_records(bytes: &[u8]) -> Vec<String> {
    use csv_core::ReadRecordResult as R;
    let mut reader = csv_core::Reader::new();
    let mut out = vec![0; 64 * 1024];
    let mut ends = vec![0; 256];
    let mut records = Vec::new();
    let (mut at, mut start) = (0, 0);
    loop {
        let (result, nin, _, _) = reader.read_record(&bytes[at..], &mut out, &mut ends);
        at += nin;
        match result {
            // Output that does not fit is not needed: only the positions are.
            R::InputEmpty | R::OutputFull | R::OutputEndsFull => {}
            R::Record => {
                let text = String::from_utf8_lossy(&bytes[start..at]);
                records.push(text.trim_matches(['\r', '\n']).to_owned());
                start = at;
            }
            R::End => return records,
        }
    }
}

/// Starts issuing `prepared`'s rows as `institution` on behalf of `account`, in the
/// background; the job is returned at once.
pub fn start(
    service: Arc<Service>,
    institution: Institution,
    account: &crate::console::Account,
    name: String,
    prepared: Prepared,
) -> Result<Arc<Job>, UploadError> {
    let job = Arc::new(Job {
        id: uuid::Uuid::new_v4().simple().to_string(),
        institution: institution.id.clone(),
        actor: account.actor(),
        uploader: account.email.clone(),
        name,
        started: service.now(),
        total: prepared.rows.len(),
        header: prepared.header,
        progress: Mutex::new(Progress::default()),
    });
    service.uploads().add(job.clone())?;
    let running = job.clone();
    let worker = tokio::spawn(async move {
        for (row, raw) in prepared.rows {
            let done = issue(&service, &institution, &running.actor, row, raw).await;
            running.record(done);
        }
    });
    // The job ends when its task does, however it ends, so a failed task cannot hold a place
    // among the running jobs for ever.
    let watched = job.clone();
    tokio::spawn(async move {
        if let Err(e) = worker.await {
            tracing::error!(error = %e, job = %watched.id, "upload task failed");
        }
        watched
            .progress
            .lock()
            .expect("upload progress lock")
            .finished = true;
    });
    Ok(job)
}

/// Issues one row (or says why not).
async fn issue(
    service: &Service,
    institution: &Institution,
    actor: &str,
    row: InputRow,
    raw: String,
) -> RowDone {
    let mut done = RowDone {
        row: row.row,
        record_id: row.record_id.clone(),
        status: RowStatus::Error,
        credential_id: None,
        problems: Vec::new(),
        raw,
    };
    let record = match row.record {
        Err(errors) => {
            done.problems = errors.into_iter().map(Problem::Checked).collect();
            return done;
        }
        Ok(record) => record,
    };
    if row.record_id.is_none() {
        done.problems.push(Problem::NoRecordId);
        return done;
    }
    match service
        .issue_record_by(institution, &record, Issuance::default(), actor)
        .await
    {
        Ok(issued) => {
            done.status = if issued.created {
                RowStatus::Issued
            } else {
                RowStatus::Existing
            };
            done.credential_id = issued
                .credential
                .get("id")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned);
        }
        Err(e) => {
            done.problems = batch::service_errors(e)
                .into_iter()
                .map(Problem::Checked)
                .collect();
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(institution: &str, n: usize) -> Arc<Job> {
        Arc::new(Job {
            id: format!("job-{n}"),
            institution: institution.into(),
            actor: "console:x".into(),
            uploader: "x@example.test".into(),
            name: format!("{n}.csv"),
            started: Utc::now(),
            total: 1,
            header: String::new(),
            progress: Mutex::new(Progress::default()),
        })
    }

    #[test]
    fn jobs_are_capped_per_institution_and_kept_apart() {
        let uploads = Uploads::default();
        for n in 0..MAX_JOBS {
            uploads.add(job("a", n)).unwrap();
        }
        // All still running: no room.
        assert!(matches!(
            uploads.add(job("a", MAX_JOBS)),
            Err(UploadError::Busy)
        ));
        // Another institution has its own room, and sees none of these.
        uploads.add(job("b", 0)).unwrap();
        assert!(uploads.get("b", "job-1").is_none());
        assert_eq!(uploads.get("a", "job-1").unwrap().name, "1.csv");
        // A finished job makes room: the oldest finished one goes.
        uploads
            .get("a", "job-3")
            .unwrap()
            .progress
            .lock()
            .unwrap()
            .finished = true;
        uploads
            .get("a", "job-5")
            .unwrap()
            .progress
            .lock()
            .unwrap()
            .finished = true;
        uploads.add(job("a", MAX_JOBS)).unwrap();
        assert!(uploads.get("a", "job-3").is_none());
        assert!(uploads.get("a", "job-5").is_some());
        let listed = uploads.list("a");
        assert_eq!(listed.len(), MAX_JOBS);
        assert_eq!(listed[0].id, format!("job-{MAX_JOBS}"), "newest first");
    }

    #[test]
    fn raw_records_keep_quoted_line_breaks_and_skip_line_endings() {
        let text = "a,b\r\n1,\"two\nlines\"\r\n\"x,y\",3\n4,5";
        assert_eq!(
            raw_records(text.as_bytes()),
            vec!["a,b", "1,\"two\nlines\"", "\"x,y\",3", "4,5"]
        );
    }

    #[test]
    fn rows_line_up_with_their_text() {
        let template = batch::csv_template();
        let prepared = prepare(template.as_bytes()).unwrap();
        assert_eq!(prepared.rows(), 2);
        let lines: Vec<&str> = template.lines().collect();
        assert_eq!(prepared.header, lines[0]);
        for (i, (row, raw)) in prepared.rows.iter().enumerate() {
            assert_eq!(row.row, i as u64 + 1);
            assert_eq!(raw, lines[i + 1]);
        }
    }

    #[test]
    fn a_file_without_rows_or_with_a_bad_header_is_refused() {
        let template = batch::csv_template();
        let header = template.lines().next().unwrap();
        assert!(matches!(
            prepare(header.as_bytes()),
            Err(UploadError::Empty)
        ));
        assert!(matches!(
            prepare(b"name,grade\nA,B\n"),
            Err(UploadError::Header(_))
        ));
        assert!(matches!(prepare(b""), Err(UploadError::Header(_))));
        let big = vec![b'a'; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(prepare(&big), Err(UploadError::TooLarge)));
    }

    #[test]
    fn more_rows_than_the_cap_are_refused() {
        let template = batch::csv_template();
        let mut lines = template.lines();
        let mut text = format!("{}\n", lines.next().unwrap());
        let row = lines.next().unwrap();
        for _ in 0..=MAX_ROWS {
            text.push_str(row);
            text.push('\n');
        }
        assert!(matches!(
            prepare(text.as_bytes()),
            Err(UploadError::TooManyRows { rows }) if rows == MAX_ROWS + 1
        ));
    }
}
