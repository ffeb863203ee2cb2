//! Where a command's output goes, and how it gets there without harm to what is already on
//! disk:
//! - a file named with `-o` (and a report's charts) is written to a temporary file in the same
//!   folder and renamed into place only once it is complete, so a run that fails, stops
//!   (`--strict`) or is interrupted leaves no file, or the previous one as it was, never a
//!   truncated file that looks complete;
//! - the output is never one of the run's inputs (the same path, a symbolic or a hard link),
//!   never written through a symbolic link, never replaces a read-only file, and a missing
//!   folder is named before any work;
//! - a standard output closed early (`hashmix assess ... | head`) ends the run quietly.
//!
//! A device or a pipe named with `-o` (`/dev/null`, `/dev/stdout`, `>(gzip)`), through a link
//! or not, is not a file that could be left half-written: it is written directly, as standard
//! output is.

use std::fs::{File, Metadata};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::Error;
use crate::grid::factors::FactorChoice;
use crate::settings::Options;

/// Bytes of output gathered before each write: rows are handed over one at a time, and large
/// writes cost the system less than many small ones.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// The exit code of a run interrupted with Ctrl-C: 128 + SIGINT (2), as shells report it. A run
/// ended by SIGTERM or SIGHUP exits with it too: the signal handler is not told which signal
/// came, and every one of them means the run did not finish.
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

/// The files a run reads, which its output must never replace.
#[derive(Debug, Default)]
pub struct Inputs {
    /// Input files, as the user gave them.
    files: Vec<PathBuf>,
    /// Folders whose files the run reads (`--grid-data`).
    folders: Vec<PathBuf>,
    /// The sites come from standard input.
    stdin: bool,
}

impl Inputs {
    /// The sites file (`-`: standard input).
    pub fn sites(mut self, sites: &str) -> Inputs {
        if sites == "-" {
            self.stdin = true;
        } else {
            self.files.push(PathBuf::from(sites));
        }
        self
    }

    /// The files the model options read: `--factors FILE`, `--risk-rules FILE`, `--grid-data DIR`.
    pub fn options(self, options: &Options) -> Inputs {
        let factors = match &options.factors {
            Some(FactorChoice::File(path)) => Some(Path::new(path)),
            _ => None,
        };
        self.file(factors)
            .file(options.risk_rules.as_deref())
            .folder(options.grid_data.as_deref())
    }

    /// One more input file, if given.
    pub fn file(mut self, path: Option<&Path>) -> Inputs {
        self.files.extend(path.map(Path::to_path_buf));
        self
    }

    /// A folder whose files the run reads, if given.
    pub fn folder(mut self, path: Option<&Path>) -> Inputs {
        self.folders.extend(path.map(Path::to_path_buf));
        self
    }

    /// The input `target` is, when it is one.
    fn find(&self, target: &Metadata, target_path: &Path) -> Option<Found> {
        let same = |m: &Metadata, path: &Path| same_file(target, m, target_path, path);
        if let Some(input) = self
            .files
            .iter()
            .find(|p| std::fs::metadata(p).is_ok_and(|m| same(&m, p)))
        {
            return Some(Found::File(input.clone()));
        }
        if self.stdin && stdin_metadata().is_some_and(|m| same(&m, Path::new("/dev/stdin"))) {
            return Some(Found::Stdin);
        }
        let folder = folder_of(target_path);
        let folder_meta = std::fs::metadata(folder).ok()?;
        self.folders
            .iter()
            .find(|dir| std::fs::metadata(dir).is_ok_and(|d| same_file(&folder_meta, &d, folder, dir)))
            .map(|dir| Found::GridData(dir.clone()))
    }
}

/// The input an output would replace.
enum Found {
    /// An input file, as the user named it.
    File(PathBuf),
    /// The file standard input reads.
    Stdin,
    /// A file in the `--grid-data` folder.
    GridData(PathBuf),
}

/// What standard input reads, when it is a file.
#[cfg(unix)]
fn stdin_metadata() -> Option<Metadata> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    File::from(fd).metadata().ok()
}

#[cfg(not(unix))]
fn stdin_metadata() -> Option<Metadata> {
    None
}

/// Two names of one file: the same device and inode (a hard link has both), or, where the
/// system does not tell them, the same canonical path.
fn same_file(a: &Metadata, b: &Metadata, a_path: &Path, b_path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = (a_path, b_path);
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        match (std::fs::canonicalize(a_path), std::fs::canonicalize(b_path)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Two spellings of one path (`big.csv` and `./big.csv`), links resolved.
fn same_path(a: &Path, b: &Path) -> bool {
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

/// The folder a file is written in (`.` for a bare name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// How a target is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A regular file, or none yet: through a temporary file renamed into place.
    File,
    /// A device, a pipe or a socket: written directly.
    Stream,
}

/// Check that `target` can be written without harm, before any work: not an input, not a
/// symbolic link, not a folder, not read-only, in a folder that exists.
fn check(target: &Path, inputs: &Inputs) -> Result<Kind, Error> {
    let refuse = |message: String| Error::Output {
        path: target.to_path_buf(),
        message,
    };
    match std::fs::symlink_metadata(target) {
        Ok(own) => {
            let followed = std::fs::metadata(target);
            if let Ok(m) = &followed {
                if !m.is_file() && !m.is_dir() {
                    return Ok(Kind::Stream);
                }
                if m.is_file()
                    && let Some(input) = inputs.find(m, target)
                {
                    let what = match input {
                        Found::File(path) if own.is_symlink() => {
                            format!("a symbolic link to the input {}", path.display())
                        }
                        Found::File(path) if path == target || same_path(&path, target) => {
                            format!("the input {}", path.display())
                        }
                        Found::File(path) => format!("the input {} under another name", path.display()),
                        Found::Stdin => "the file standard input reads".into(),
                        Found::GridData(dir) => format!("a file of --grid-data {}", dir.display()),
                    };
                    return Err(refuse(format!(
                        "it is {what}; hashmix never writes over its input: write the output to another file"
                    )));
                }
            }
            if own.is_symlink() {
                return Err(refuse(
                    "it is a symbolic link; hashmix does not write through links: give the file's own path or another name"
                        .into(),
                ));
            }
            if own.is_dir() {
                return Err(refuse("it is a folder; expected a file name".into()));
            }
            // Renaming would replace a file that writing into could not (nor would, as before).
            if own.permissions().readonly() {
                return Err(refuse("it is read-only; make it writable or give another name".into()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(e.to_string())),
    }
    let folder = folder_of(target);
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => Ok(Kind::File),
        Ok(_) => Err(refuse(format!("{} is not a folder", folder.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(refuse(format!("the folder {} does not exist", folder.display())))
        }
        Err(e) => Err(refuse(format!("the folder {}: {e}", folder.display()))),
    }
}

/// Temporary files not yet renamed into place, removed if the run is interrupted.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The pending list, even after a thread panicked holding it (a list of paths stays valid).
fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remove every temporary file not yet renamed into place; what Ctrl-C does before exiting.
pub fn remove_pending() {
    remove_listed(&mut pending());
}

fn remove_listed(list: &mut Vec<PathBuf>) {
    for path in list.drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// Set when the commands run inside another program (the Python package): the host keeps its
/// own Ctrl-C handling, and an interrupted run leaves at most a hidden temporary file.
static EMBEDDED: AtomicBool = AtomicBool::new(false);

/// Run the commands inside another program: no signal handler is installed, so Ctrl-C stays
/// the host's (a notebook's KeyboardInterrupt, not an exit of the whole interpreter).
pub fn run_embedded() {
    EMBEDDED.store(true, Ordering::Relaxed);
}

/// On Ctrl-C (SIGINT), SIGTERM (`kill`, a service or job manager stopping the run) or SIGHUP
/// (the terminal closed), remove the temporary files and exit with [`INTERRUPTED_EXIT_CODE`]. Installed
/// once, when the first file output starts; without it (another handler was installed first)
/// an interrupted run leaves a hidden temporary file, never a target that looks complete.
fn remove_pending_on_interrupt() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    if EMBEDDED.load(Ordering::Relaxed) {
        return;
    }
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            // The list stays locked until the process ends: no file is renamed into place after
            // the interruption.
            let mut list = pending();
            remove_listed(&mut list);
            std::process::exit(INTERRUPTED_EXIT_CODE);
        });
    });
}

/// The same error, naming the file it concerns.
fn naming(path: &Path, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// A file being written: into a temporary file beside it, renamed into place by
/// [`PendingFile::commit`]; dropped without it, the temporary file is removed and the target
/// is as it was.
#[derive(Debug)]
pub struct PendingFile {
    target: PathBuf,
    /// The temporary file (none when the target is a device or a pipe, written directly).
    temp: Option<tempfile::TempPath>,
    out: BufWriter<File>,
    /// The target is a device or a pipe and the temporary file is copied into it at the end
    /// (a workbook, which is saved by path).
    copy_into_stream: bool,
}

impl PendingFile {
    /// Check `target` (see the module's description) and start writing it.
    pub fn create(target: &Path, inputs: &Inputs) -> Result<PendingFile, Error> {
        match check(target, inputs)? {
            Kind::File => PendingFile::temporary(target, folder_of(target), false),
            Kind::Stream => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .map_err(|e| Error::Output {
                        path: target.to_path_buf(),
                        message: e.to_string(),
                    })?;
                Ok(PendingFile {
                    target: target.to_path_buf(),
                    temp: None,
                    out: BufWriter::with_capacity(OUTPUT_BUFFER, file),
                    copy_into_stream: false,
                })
            }
        }
    }

    /// Check `target` and make a file to save a workbook at ([`PendingFile::path`]): the
    /// workbook is saved by path, so even a device or a pipe gets a temporary file, in the
    /// system's temporary folder, copied into it at the end.
    pub fn for_workbook(target: &Path, inputs: &Inputs) -> Result<PendingFile, Error> {
        match check(target, inputs)? {
            Kind::File => PendingFile::temporary(target, folder_of(target), false),
            Kind::Stream => PendingFile::temporary(target, &std::env::temp_dir(), true),
        }
    }

    fn temporary(target: &Path, folder: &Path, copy_into_stream: bool) -> Result<PendingFile, Error> {
        remove_pending_on_interrupt();
        let name = target.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As a new file gets (less the umask), or as the file it replaces had.
            let mode = std::fs::metadata(target).map_or(0o666, |m| m.permissions().mode() & 0o777);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let mut list = pending();
        let temp = builder.tempfile_in(folder).map_err(|e| Error::Output {
            path: target.to_path_buf(),
            message: format!("cannot create a file in the folder {}: {e}", folder.display()),
        })?;
        let (file, temp) = temp.into_parts();
        list.push(temp.to_path_buf());
        Ok(PendingFile {
            target: target.to_path_buf(),
            temp: Some(temp),
            out: BufWriter::with_capacity(OUTPUT_BUFFER, file),
            copy_into_stream,
        })
    }

    /// The target, as the user named it.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Where to save a file written by path (a workbook): the temporary file.
    pub fn path(&self) -> &Path {
        self.temp.as_deref().unwrap_or(&self.target)
    }

    /// The output is complete: flush it and rename it into place (or copy it into the
    /// device or pipe it is for).
    pub fn commit(mut self) -> Result<(), Error> {
        let target = self.target.clone();
        let fail = |e: std::io::Error| Error::Output {
            path: target.clone(),
            message: e.to_string(),
        };
        self.out.flush().map_err(fail)?;
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        let mut list = pending();
        list.retain(|p| p.as_path() != &*temp);
        if self.copy_into_stream {
            let copied = File::open(&temp).and_then(|mut from| {
                let mut to = std::fs::OpenOptions::new().write(true).open(&target)?;
                std::io::copy(&mut from, &mut to)?;
                to.flush()
            });
            let _ = temp.close();
            return copied.map_err(fail);
        }
        // Not synced to disk first: the rename must not wait for hundreds of megabytes to
        // reach the disk; what it guards against is a run that fails or is interrupted.
        temp.persist(&target).map_err(|e| fail(e.error))
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).map_err(|e| naming(&self.target, e))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.out.write_all(buf).map_err(|e| naming(&self.target, e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush().map_err(|e| naming(&self.target, e))
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some(temp) = self.temp.take() {
            let mut list = pending();
            list.retain(|p| p.as_path() != &*temp);
            let _ = temp.close();
        }
    }
}

/// Set when a write to standard output found it closed (the reader, such as `head`, has
/// what it wanted): the run then ends quietly, see [`stdout_closed`].
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// True when standard output was closed before the run wrote all of it: the run ends
/// quietly with exit code 0, whatever format it wrote.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Standard output, noting when its reader has gone.
pub struct Stdout(std::io::StdoutLock<'static>);

impl Stdout {
    fn noting(e: std::io::Error) -> std::io::Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
        naming(Path::new("standard output"), e)
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(Stdout::noting)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(Stdout::noting)
    }
}

/// A command's output: the file `-o` names, written as a [`PendingFile`], or standard output.
pub enum Output {
    /// Standard output (no `-o`, or `-o -`).
    Stdout(BufWriter<Stdout>),
    /// A file.
    File(PendingFile),
}

impl Output {
    /// Open `-o` (checked against `inputs`) or standard output.
    pub fn open(path: &Option<PathBuf>, inputs: &Inputs) -> Result<Output, Error> {
        Ok(match crate::settings::output_file(path) {
            Some(path) => Output::File(PendingFile::create(path, inputs)?),
            None => Output::stdout(),
        })
    }

    /// Standard output.
    pub fn stdout() -> Output {
        Output::Stdout(BufWriter::with_capacity(
            OUTPUT_BUFFER,
            Stdout(std::io::stdout().lock()),
        ))
    }

    /// The output is complete: flush it, and put a file into place.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Output::Stdout(mut out) => Ok(out.flush()?),
            Output::File(file) => file.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File(file) => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(buf),
            Output::File(file) => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File(file) => file.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pending list is one per process: tests that start files take turns, so that
    /// `remove_pending` in one cannot remove another's file.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    // issue 20: a run that fails (a write error such as a full disk, an error, a --strict
    // stop) drops its output before putting it in place.
    #[test]
    fn a_file_dropped_before_its_commit_leaves_the_previous_one_and_no_temporary_file() {
        let _turn = serial();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "previous\n").unwrap();
        let mut file = PendingFile::create(&target, &Inputs::default()).unwrap();
        file.write_all(&[b'x'; 3 * OUTPUT_BUFFER]).unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        assert!(pending().iter().any(|p| p == file.path()));
        let temp = file.path().to_path_buf();
        drop(file);
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous\n");
        assert!(!pending().contains(&temp));
    }

    #[test]
    fn a_committed_file_replaces_the_previous_one_whole() {
        let _turn = serial();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "previous\n").unwrap();
        let mut file = PendingFile::create(&target, &Inputs::default()).unwrap();
        let temp = file.path().to_path_buf();
        file.write_all(b"new\n").unwrap();
        // Until the commit the target is the previous file.
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous\n");
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(names(dir.path()), ["out.csv"]);
        assert!(!pending().contains(&temp));
    }

    // What Ctrl-C does before it exits (the CLI test sends the signal itself).
    #[test]
    fn removing_the_pending_files_leaves_the_targets_as_they_were() {
        let _turn = serial();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        std::fs::write(&target, "previous\n").unwrap();
        let mut file = PendingFile::create(&target, &Inputs::default()).unwrap();
        file.write_all(b"{\"sites\":[").unwrap();
        file.flush().unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        remove_pending();
        assert_eq!(names(dir.path()), ["out.json"]);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous\n");
    }

    #[test]
    fn a_workbook_is_saved_at_a_temporary_path_beside_its_target() {
        let _turn = serial();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("fleet.xlsx");
        let file = PendingFile::for_workbook(&target, &Inputs::default()).unwrap();
        assert_eq!(file.path().parent(), Some(dir.path()));
        assert_ne!(file.path(), target);
        std::fs::write(file.path(), b"PK workbook").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"PK workbook");
        assert_eq!(names(dir.path()), ["fleet.xlsx"]);
    }

    #[test]
    fn a_file_in_the_grid_data_folder_is_an_input() {
        let _turn = serial();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("regions.csv");
        std::fs::write(&target, "region\n").unwrap();
        let e = PendingFile::create(&target, &Inputs::default().folder(Some(dir.path()))).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "cannot write {}: it is a file of --grid-data {}; hashmix never writes over its input: write the \
                 output to another file",
                target.display(),
                dir.path().display()
            )
        );
    }
}
