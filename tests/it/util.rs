//! A scratch directory with a way to run `lede` inside it.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A temp dir, removed on drop.
pub struct TestEnv {
    dir: TempDir,
}

/// The repo's sample corpus.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-corpus")
}

/// A short story shaped like a wire report.
pub const LAYOFFS: &str = "\
Amazon to cut 14,000 corporate roles

Amazon said on Tuesday it would cut about 14,000 corporate roles as it shifts spending toward AI.

The company's chief executive, Andy Jassy, said the cuts would make Amazon leaner and faster.
";

/// Another, about something else.
pub const WEATHER: &str = "\
Storm closes schools across the region

Heavy rain and high winds closed more than 300 schools on Monday, officials said.

Forecasters expect the storm to move east overnight, bringing snow to the hills.
";

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv { dir: TempDir::new().expect("create temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
    }

    /// Copies the repo's sample corpus to `sample-corpus/` in the temp dir.
    pub fn with_sample_corpus() -> TestEnv {
        let env = TestEnv::new();
        copy_dir(&sample_corpus(), &env.path().join("sample-corpus"));
        env
    }

    /// `lede` with the temp dir as cwd and a clean environment.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.current_dir(self.dir.path()).env_clear();
        cmd
    }

    /// The same as a std Command (for piping tests).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.current_dir(self.dir.path()).env_clear();
        cmd
    }

    /// Writes the two standard stories and indexes them.
    pub fn indexed() -> TestEnv {
        let env = TestEnv::new();
        env.write("corpus/layoffs.txt", LAYOFFS);
        env.write("corpus/weather.txt", WEATHER);
        env.cmd().args(["index", "corpus", "-j", "2"]).assert().success();
        env
    }

    /// The sample corpus, indexed into `.lede`.
    pub fn sample_indexed() -> TestEnv {
        let env = TestEnv::with_sample_corpus();
        env.cmd().args(["index", "sample-corpus"]).assert().success();
        env
    }

    /// Runs a query and returns stdout as a string (any exit code).
    pub fn query(&self, args: &[&str]) -> (i32, String, String) {
        let output = self.cmd().arg("query").args(args).output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A short story that shares no line with the other stories of this
/// function: generated corpora must not look like one site's template.
pub fn distinct_story(i: usize) -> String {
    const WHO: [&str; 7] = [
        "council",
        "union",
        "ministry",
        "hospital board",
        "port authority",
        "school trust",
        "water company",
    ];
    const DID: [&str; 5] = ["approved", "rejected", "delayed", "announced", "reviewed"];
    const WHAT: [&str; 6] = [
        "a new budget",
        "the harbour plan",
        "a pay offer",
        "the bus timetable",
        "flood defences",
        "a library",
    ];
    const WHERE: [&str; 5] = ["Leeds", "Bristol", "Cardiff", "Dundee", "Norwich"];
    let (who, did) = (WHO[i % 7], DID[(i / 7) % 5]);
    let (what, place) = (WHAT[(i / 35) % 6], WHERE[(i / 210) % 5]);
    format!(
        "The {who} of {place} {did} {what}\n\nThe {who} in {place} {did} {what} after a long meeting, \
         officials said; the reference of the decision is w{i}x.\n\nCritics of the {who} said {what} \
         should have gone to a public vote in {place} first.\n"
    )
}
