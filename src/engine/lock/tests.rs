use super::*;
use std::sync::mpsc;

fn request(command: &str, wait: bool) -> RunRequest {
    RunRequest {
        command: command.into(),
        wait,
    }
}

fn take(
    catalog: &Path,
    command: &str,
    wait: bool,
) -> (Result<RunLock, LockError>, Vec<LockNotice>) {
    let mut notices = Vec::new();
    let got = RunLock::acquire(catalog, &request(command, wait), &Cancel::new(), &mut |n| {
        notices.push(n.clone())
    });
    (got, notices)
}

#[test]
fn a_held_lock_names_its_holder_to_a_run_that_does_not_wait() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.sqlite3");
    let (first, notices) = take(&catalog, "photosync sync ~/Pictures", true);
    let first = first.unwrap();
    assert!(notices.is_empty());
    assert_eq!(first.catalog(), catalog);
    assert!(dir.path().join("catalog.sqlite3.lock").exists());

    let (second, notices) = take(&catalog, "photosync restore", false);
    let Err(LockError::Busy { holder, .. }) = second else {
        panic!("the second run took a held lock")
    };
    let holder = holder.expect("the holder's record");
    assert_eq!(holder.pid, std::process::id());
    assert_eq!(holder.command, "photosync sync ~/Pictures");
    assert!(
        notices.is_empty(),
        "a run that does not wait is told nothing: {notices:?}"
    );
}

#[test]
fn a_released_lock_is_taken_without_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.sqlite3");
    drop(take(&catalog, "first", true).0.unwrap());
    let (again, notices) = take(&catalog, "second", false);
    again.unwrap();
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn the_lock_of_a_run_that_died_holding_it_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.sqlite3");
    // What `kill -9` leaves: the kernel dropped the flock, the record stays.
    let dead = Holder {
        pid: 4_000_001,
        started: 1_796_621_462,
        command: "photosync sync /photos".into(),
    };
    std::fs::write(RunLock::path_for(&catalog), dead.record()).unwrap();
    let (got, notices) = take(&catalog, "photosync sync /photos", false);
    got.unwrap();
    assert_eq!(notices, vec![LockNotice::TookOver(dead)]);
    assert_eq!(
        notices[0].to_string(),
        "took over the lock of run PID 4000001, which is gone"
    );
}

#[test]
fn a_waiting_run_is_told_once_and_goes_on_when_the_holder_ends() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.sqlite3");
    let first = take(&catalog, "photosync sync ~/Pictures --to flickr", true)
        .0
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let path = catalog.clone();
    let waiter = std::thread::spawn(move || {
        RunLock::acquire(&path, &request("second", true), &Cancel::new(), &mut |n| {
            tx.send(n.clone()).unwrap()
        })
    });
    let LockNotice::Waiting(Some(holder)) = rx.recv().unwrap() else {
        panic!("no waiting notice naming the holder")
    };
    assert_eq!(holder.command, "photosync sync ~/Pictures --to flickr");
    drop(first);
    let second = waiter.join().unwrap().unwrap();
    assert!(
        rx.try_iter().next().is_none(),
        "told more than once, or a clean end taken for a death"
    );
    // The record is the new holder's now.
    let (third, _) = take(&catalog, "third", false);
    let Err(LockError::Busy {
        holder: Some(h), ..
    }) = third
    else {
        panic!("the lock was not held by the second run")
    };
    assert_eq!(h.command, "second");
    drop(second);
}

#[test]
fn a_waiting_run_stops_when_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.sqlite3");
    let _first = take(&catalog, "first", true).0.unwrap();
    let cancel = Cancel::new();
    let (tx, rx) = mpsc::channel();
    let (path, worker_cancel) = (catalog.clone(), cancel.clone());
    let waiter = std::thread::spawn(move || {
        RunLock::acquire(&path, &request("second", true), &worker_cancel, &mut |n| {
            tx.send(n.clone()).unwrap()
        })
    });
    rx.recv().unwrap();
    cancel.cancel();
    assert!(matches!(waiter.join().unwrap(), Err(LockError::Cancelled)));
}

#[test]
fn messages_say_who_holds_the_lock_and_what_to_do() {
    let holder = Holder {
        pid: 1234,
        started: chrono::Local
            .with_ymd_and_hms(2026, 12, 7, 5, 31, 2)
            .unwrap()
            .timestamp(),
        command: "photosync sync ~/Pictures".into(),
    };
    assert_eq!(
        LockNotice::Waiting(Some(holder.clone())).to_string(),
        "waiting for photosync run PID 1234 (started 2026-12-07 05:31:02, `photosync sync ~/Pictures`) \
         to finish; --no-wait to exit instead"
    );
    let busy = LockError::Busy {
        catalog: "/c.sqlite3".into(),
        holder: Some(holder),
    };
    assert_eq!(
        busy.to_string(),
        "photosync run PID 1234 (started 2026-12-07 05:31:02, `photosync sync ~/Pictures`) is using \
         the catalog /c.sqlite3; not waiting for it (--no-wait)"
    );
    assert!(LockNotice::Waiting(None)
        .to_string()
        .starts_with("waiting for another photosync run"));
}

#[test]
fn a_record_is_read_only_when_whole_and_commands_stay_on_one_line() {
    let h = Holder {
        pid: 7,
        started: 1,
        command: "x".into(),
    };
    assert_eq!(Holder::parse(&h.record()), Some(h.clone()));
    assert_eq!(Holder::parse("pid 7\nstarted 1\ncommand x"), None);
    assert_eq!(Holder::parse(""), None);

    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("c.sqlite3");
    let _held = take(&catalog, "photosync sync 'a\nb'", true).0.unwrap();
    let Err(LockError::Busy {
        holder: Some(h), ..
    }) = take(&catalog, "y", false).0
    else {
        panic!("not busy")
    };
    assert_eq!(h.command, "photosync sync 'a b'");
}
