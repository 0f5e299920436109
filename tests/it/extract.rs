//! `lede extract`: the pipeline without the index.

use crate::util::{LAYOFFS, TestEnv, WEATHER};

#[test]
fn output_is_in_path_order_whatever_the_thread_count() {
    let env = TestEnv::new();
    for i in 0..30 {
        let story = if i % 2 == 0 { LAYOFFS } else { WEATHER };
        env.write(&format!("corpus/{i:02}.txt"), story);
    }
    let run =
        |j: &str| env.cmd().args(["extract", "--json", "-j", j, "corpus"]).output().unwrap().stdout;
    let one = run("1");
    assert_eq!(one, run("4"));
    let paths: Vec<String> = String::from_utf8(one)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 30);
}

#[test]
fn explain_lists_dropped_lines_with_reasons() {
    let env = TestEnv::new();
    env.write("page.txt", format!("Home\nNews\nSport\n\n{LAYOFFS}\n#Amazon #Layoffs\n"));
    let output = env.cmd().args(["extract", "--explain", "page.txt"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("-- dropped"), "{stdout}");
    assert!(stdout.contains("hashtags"), "{stdout}");
}
