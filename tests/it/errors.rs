//! Bad input: clear one-line messages, exit 2, never a panic.

use crate::util::TestEnv;

#[test]
fn queries_the_parser_rejects_exit_two_with_one_line() {
    let env = TestEnv::indexed();
    for query in
        ["- *", "\"unclosed", "title:", "AND", "nosuchfield:x", "(", "money:>=lots", "-Jassy"]
    {
        let (code, stdout, stderr) = env.query(&[query]);
        assert_eq!(code, 2, "{query:?}: {stdout}{stderr}");
        assert_eq!(stdout, "", "{query:?}");
        assert_eq!(stderr.lines().count(), 1, "{query:?}: {stderr}");
        assert!(stderr.starts_with("lede: "), "{query:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{query:?}: {stderr}");
    }
}

#[test]
fn bad_filters_exit_two() {
    let env = TestEnv::indexed();
    for args in [["--money", "lots"], ["--since", "someday"], ["--count", ">>3"]] {
        let (code, _, stderr) = env.query(&[args[0], args[1], "Jassy"]);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("lede: "), "{stderr}");
    }
}

#[test]
fn no_index_says_how_to_make_one() {
    let env = TestEnv::new();
    let (code, stdout, stderr) = env.query(&["Jassy"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("lede index"), "{stderr}");
    let output = env.cmd().args(["query", "--index", "nowhere", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("lede index"));
}

#[test]
fn usage_errors_exit_two_and_help_exits_zero() {
    let env = TestEnv::new();
    env.cmd().args(["query"]).assert().code(2);
    env.cmd().args(["frobnicate"]).assert().code(2);
    env.cmd().args(["--help"]).assert().code(0);
    env.cmd().args(["query", "--help"]).assert().code(0);
}

#[test]
fn an_index_folder_that_is_not_an_index_is_refused() {
    let env = TestEnv::new();
    env.write("corpus/a.txt", crate::util::LAYOFFS);
    env.write("notes/todo.txt", "keep me");
    let output = env.cmd().args(["index", "--index", "notes", "corpus"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(env.path().join("notes/todo.txt").exists());
}
