//! `lede index`: summary, re-runs, skipped files.

use crate::json::hits;
use crate::util::{LAYOFFS, TestEnv, WEATHER};

#[test]
fn summary_goes_to_stderr_and_stdout_stays_empty() {
    let env = TestEnv::new();
    env.write("corpus/layoffs.txt", LAYOFFS);
    env.write("corpus/weather.txt", WEATHER);
    env.write("corpus/empty.txt", "");
    env.write("corpus/image.png", [0u8, 1, 2]);
    let output = env.cmd().args(["index", "corpus"]).output().unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary
            .starts_with("indexed 2 added, 0 updated, 0 removed, 0 unchanged files (2 documents,"),
        "{stderr}"
    );
    assert!(summary.contains("skipped 1 (empty: 1)"), "{stderr}");
    assert!(stderr.contains("corpus/empty.txt: skipped: empty"), "{stderr}");
    let quiet = env.cmd().args(["index", "--quiet", "corpus"]).output().unwrap();
    assert!(quiet.status.success());
    assert!(!String::from_utf8(quiet.stderr).unwrap().contains("indexed"));
}

#[test]
fn re_indexing_replaces_documents_instead_of_duplicating_them() {
    let env = TestEnv::new();
    env.write("corpus/layoffs.txt", LAYOFFS);
    env.cmd().args(["index", "corpus"]).assert().success();
    env.cmd().args(["index", "corpus"]).assert().success();
    assert_eq!(hits(&env, &["Jassy", "--all-duplicates"]).len(), 1);
    env.write("corpus/layoffs.txt", LAYOFFS.replace("Jassy", "Smith"));
    env.cmd().args(["index", "corpus"]).assert().success();
    assert!(hits(&env, &["Jassy"]).is_empty());
    assert_eq!(hits(&env, &["Smith"]).len(), 1);
}

#[test]
fn binary_files_are_skipped_with_a_reason() {
    let env = TestEnv::new();
    env.write("corpus/a.txt", LAYOFFS);
    env.write("corpus/b.txt", b"\x00\x01\x02binary\x00");
    let output = env.cmd().args(["index", "corpus"]).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("corpus/b.txt: skipped: binary"), "{stderr}");
    assert_eq!(hits(&env, &["Jassy"]).len(), 1);
}

#[test]
fn the_index_folder_inside_the_corpus_is_not_indexed() {
    let env = TestEnv::new();
    env.write("corpus/layoffs.txt", LAYOFFS);
    env.cmd().args(["index", "--index", "corpus/idx", "corpus"]).assert().success();
    env.cmd().args(["index", "--index", "corpus/idx", "corpus"]).assert().success();
    let stats = env.cmd().args(["stats", "--index", "corpus/idx", "--json"]).output().unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["files"], 1);
}
