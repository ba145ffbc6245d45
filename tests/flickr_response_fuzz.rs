//! Fuzzes the Flickr client's answer parsers (src/destinations/flickr/api/response.rs, private) through
//! the public client: a raw TCP server on 127.0.0.1 answers each request with bytes the
//! property chose (random bytes, mutated and truncated Flickr answers, generated JSON of
//! every shape, and whole mutated HTTP answers), and the client must, every time:
//! - never panic and never hang (each request has a deadline),
//! - classify the answer as src/destinations/flickr/api/response.rs promises: a REST answer is Ok exactly
//!   when it is JSON with `stat: "ok"` (and then Ok holds that JSON), Flickr's own failure
//!   when `stat: "fail"`, an HTTP error for other answers with an error status, and
//!   malformed otherwise; a well-formed upload answer gives its photo or ticket id,
//!   Flickr's upload failure its code and message,
//! - give an error whose message names the call and stays short.
//!
//! Kept under a few seconds: a few hundred cases per property, each one local round trip.

use photosync::destinations::flickr::api::{
    Client, Credentials, Endpoints, FlickrError, UploadAnswer,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// No single local request may take longer: more means the client hung.
const DEADLINE: Duration = Duration::from_secs(10);
/// Error messages carry an excerpt of the answer, never the answer.
const MAX_MESSAGE: usize = 1200;

// ---------------------------------------------------------------------------------------
// The scripted server: every connection's request is read whole, then answered with the
// current script's bytes, and closed.

struct Server {
    rt: tokio::runtime::Runtime,
    base: String,
    script: Arc<Mutex<Vec<u8>>>,
    photo: PathBuf,
    _dir: tempfile::TempDir,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Vec::new()));
        let shared = script.clone();
        rt.spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    continue;
                };
                let shared = shared.clone();
                tokio::spawn(async move {
                    if read_request(&mut sock).await.is_some() {
                        let answer = shared.lock().unwrap().clone();
                        let _ = sock.write_all(&answer).await;
                        let _ = sock.flush().await;
                    }
                    let _ = sock.shutdown().await;
                });
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.jpg");
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.extend(std::iter::repeat_n(0x5Au8, 4096));
        std::fs::write(&photo, bytes).unwrap();
        Server {
            rt,
            base,
            script,
            photo,
            _dir: dir,
        }
    })
}

/// Reads a request's head and its body (Content-Length or chunked); None if the client
/// went away.
async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<()> {
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at + 4;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &buf[head_end..];
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => find(body, b"0\r\n\r\n").is_some(),
            None => true,
        };
        if done {
            return Some(());
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The tests run in parallel on one server: one request at a time, each with its script.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A whole HTTP answer with this status and body, framed by Content-Length.
fn http(status: u16, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn client() -> Client {
    Client::new(
        Credentials {
            api_key: "key".into(),
            shared_secret: "secret".into(),
            access_token: Some("72157-token".into()),
            access_secret: Some("token-secret".into()),
        },
        Endpoints::under(&server().base),
    )
    .unwrap()
}

/// Sends `answer` (whole HTTP bytes) to one REST call.
fn rest_with(client: &Client, answer: Vec<u8>) -> Result<serde_json::Value, FlickrError> {
    let s = server();
    let _turn = turn();
    *s.script.lock().unwrap() = answer;
    s.rt.block_on(async {
        tokio::time::timeout(DEADLINE, client.call("flickr.test.echo", &[]))
            .await
            .expect("the REST call hung")
    })
}

/// Sends `answer` (whole HTTP bytes) to one upload.
fn upload_with(client: &Client, answer: Vec<u8>) -> Result<UploadAnswer, FlickrError> {
    let s = server();
    let _turn = turn();
    *s.script.lock().unwrap() = answer;
    let params = vec![
        ("title".to_string(), "fuzz".to_string()),
        (
            "tags".to_string(),
            "checksum:md5=00112233445566778899aabbccddeeff".to_string(),
        ),
    ];
    s.rt.block_on(async {
        tokio::time::timeout(DEADLINE, client.upload(&s.photo, &params, false))
            .await
            .expect("the upload hung")
    })
}

fn request_token_with(client: &Client, answer: Vec<u8>) -> Result<(String, String), FlickrError> {
    let s = server();
    let _turn = turn();
    *s.script.lock().unwrap() = answer;
    s.rt.block_on(async {
        tokio::time::timeout(DEADLINE, client.request_token("oob"))
            .await
            .expect("request_token hung")
    })
}

/// Every error names its call and stays short.
fn check_message(e: &FlickrError, what: &str) -> Result<(), TestCaseError> {
    let text = e.to_string();
    prop_assert!(
        text.contains(what),
        "error does not name {}: {}",
        what,
        text
    );
    prop_assert!(
        text.len() <= MAX_MESSAGE,
        "error message of {} bytes",
        text.len()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What the answers are made of.

/// Edits applied to a valid answer: cut it, flip bytes, insert junk, delete or repeat
/// a stretch. Positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Edit {
    Truncate(usize),
    Set(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Repeat(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let junk = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        Just(b"\"".to_vec()),
        Just(b"\\".to_vec()),
        Just(b"{".to_vec()),
        Just(b"]".to_vec()),
        Just(b"<".to_vec()),
        Just(b"\\u".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"<rsp stat=\"ok\">".to_vec()),
        Just(b"</photoid>".to_vec()),
    ];
    prop_oneof![
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), junk).prop_map(|(i, j)| Edit::Insert(i, j)),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), 1usize..32).prop_map(|(i, n)| Edit::Repeat(i, n)),
    ]
}

fn apply(mut doc: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = doc.len();
        match e {
            Edit::Truncate(i) => doc.truncate(i % (len + 1)),
            Edit::Set(i, b) if len > 0 => doc[i % len] = *b,
            Edit::Insert(i, junk) => {
                let at = i % (len + 1);
                doc.splice(at..at, junk.iter().copied());
            }
            Edit::Delete(i, n) if len > 0 => {
                let at = i % len;
                doc.drain(at..(at + n).min(len));
            }
            Edit::Repeat(i, n) if len > 0 => {
                let at = i % len;
                let piece = doc[at..(at + n).min(len)].to_vec();
                doc.splice(at..at, piece);
            }
            _ => {}
        }
    }
    doc
}

const REST_SEEDS: &[&str] = &[
    r#"{"user":{"id":"98765432@N07","username":{"_content":"photosync"}},"stat":"ok"}"#,
    r#"{"photos":{"page":1,"pages":1,"perpage":100,"total":"1","photo":[{"id":"52615342145","owner":"98765432@N07","secret":"6c8c06672c","server":"65535","farm":66,"title":"Über","ispublic":0,"isfriend":0,"isfamily":1,"machine_tags":"checksum:md5=406958840ad1665ffcd1be9c29d515b9"}]},"stat":"ok"}"#,
    r#"{"photo":{"id":"1","title":{"_content":"caf\u00e9 \ud83d\udcf7"},"tags":{"tag":[{"raw":"a b","_content":"ab"}]}},"stat":"ok"}"#,
    r#"{"stat":"fail","code":98,"message":"Invalid auth token"}"#,
    r#"{"stat":"fail","code":"105","message":"Service currently unavailable"}"#,
    r#"<?xml version="1.0" encoding="utf-8" ?><rsp stat="ok"><user id="1"/></rsp>"#,
    "<html><body>502 Bad Gateway</body></html>",
];

const UPLOAD_SEEDS: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<photoid>52615342145</photoid>\n</rsp>\n",
    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<rsp stat=\"ok\">\n<ticketid>1234-5678</ticketid>\n</rsp>\n",
    "<rsp stat=\"ok\"><photoid secret=\"abc\" originalsecret=\"def\">99</photoid></rsp>",
    "<rsp stat=\"fail\"><err code=\"5\" msg=\"Filetype was not recognised &amp; refused\" /></rsp>",
    "<rsp stat='fail'><err code='98' msg='Invalid auth token'/></rsp>",
    r#"{"stat":"ok","photoid":{"_content":"1"}}"#,
];

const STATUSES: &[u16] = &[200, 200, 200, 201, 400, 401, 403, 404, 429, 500, 502, 503];

fn status() -> impl Strategy<Value = u16> {
    prop::sample::select(STATUSES)
}

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec!["ok", "fail", "_content", "105", "", "98"])
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        any::<String>(),
                        prop::sample::select(vec![
                            "stat", "code", "message", "photos", "photo", "_content", "id"
                        ])
                        .prop_map(String::from)
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// JSON documents shaped like Flickr answers, with every kind of stat, code and message.
fn flickr_json() -> impl Strategy<Value = Vec<u8>> {
    let stat = prop_oneof![
        3 => Just(Some(serde_json::json!("ok"))),
        3 => Just(Some(serde_json::json!("fail"))),
        1 => Just(None),
        1 => json_value().prop_map(Some),
    ];
    (
        stat,
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::collection::vec((any::<String>(), json_value()), 0..4),
        any::<bool>(),
    )
        .prop_map(|(stat, code, message, extra, pretty)| {
            let mut m = serde_json::Map::new();
            for (k, v) in extra {
                m.insert(k, v);
            }
            if let Some(s) = stat {
                m.insert("stat".into(), s);
            }
            if let Some(c) = code {
                m.insert("code".into(), c);
            }
            if let Some(msg) = message {
                m.insert("message".into(), msg);
            }
            let v = serde_json::Value::Object(m);
            if pretty {
                serde_json::to_vec_pretty(&v).unwrap()
            } else {
                serde_json::to_vec(&v).unwrap()
            }
        })
}

fn rest_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..512),
        4 => (prop::sample::select(REST_SEEDS), prop::collection::vec(edit(), 0..5))
            .prop_map(|(seed, edits)| apply(seed.as_bytes().to_vec(), &edits)),
        4 => flickr_json(),
        2 => (flickr_json(), prop::collection::vec(edit(), 1..4))
            .prop_map(|(doc, edits)| apply(doc, &edits)),
    ]
}

fn upload_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..512),
        5 => (prop::sample::select(UPLOAD_SEEDS), prop::collection::vec(edit(), 0..5))
            .prop_map(|(seed, edits)| apply(seed.as_bytes().to_vec(), &edits)),
    ]
}

/// The REST answer classification src/destinations/flickr/api/response.rs documents.
#[derive(Debug, PartialEq)]
enum RestKind {
    Ok(serde_json::Value),
    Api(i64),
    Http(u16),
    Malformed,
}

fn expected_rest(status: u16, body: &[u8]) -> RestKind {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let stat = parsed
        .as_ref()
        .and_then(|v| v.get("stat"))
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    match (stat.as_deref(), parsed) {
        (Some("ok"), Some(v)) => RestKind::Ok(v),
        (Some("fail"), Some(v)) => RestKind::Api(
            v.get("code")
                .and_then(|c| {
                    c.as_i64()
                        .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
                })
                .unwrap_or(0),
        ),
        _ if !(200..300).contains(&status) => RestKind::Http(status),
        _ => RestKind::Malformed,
    }
}

fn actual_rest(r: &Result<serde_json::Value, FlickrError>) -> RestKind {
    match r {
        Ok(v) => RestKind::Ok(v.clone()),
        Err(FlickrError::Api { code, .. }) => RestKind::Api(*code),
        Err(FlickrError::Http { status, .. }) => RestKind::Http(*status),
        Err(FlickrError::Malformed { .. }) => RestKind::Malformed,
        Err(other) => panic!("unexpected error kind for a complete answer: {other:?}"),
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

// ---------------------------------------------------------------------------------------
// The properties.

#[test]
fn rest_answers_are_classified_as_documented() {
    let client = client();
    let seen = Mutex::new([0usize; 4]);
    runner(2000)
        .run(&(status(), rest_body()), |(status, body)| {
            let result = rest_with(&client, http(status, &body));
            let want = expected_rest(status, &body);
            let got = actual_rest(&result);
            seen.lock().unwrap()[match got {
                RestKind::Ok(_) => 0,
                RestKind::Api(_) => 1,
                RestKind::Http(_) => 2,
                RestKind::Malformed => 3,
            }] += 1;
            prop_assert_eq!(
                &got,
                &want,
                "status {} body {:?}",
                status,
                String::from_utf8_lossy(&body)
            );
            if let Err(e) = &result {
                check_message(e, "flickr.test.echo")?;
            }
            Ok(())
        })
        .unwrap();
    // Not vacuous: every kind of answer came up.
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter().all(|&n| n > 20),
        "ok/api/http/malformed: {seen:?}"
    );
}

#[test]
fn upload_answers_never_panic_and_ok_only_for_a_flickr_answer() {
    let client = client();
    let seen = Mutex::new([0usize; 4]);
    runner(1500)
        .run(&(status(), upload_body()), |(status, body)| {
            let result = upload_with(&client, http(status, &body));
            let text = String::from_utf8_lossy(&body);
            seen.lock().unwrap()[match &result {
                Ok(_) => 0,
                Err(FlickrError::Api { .. }) => 1,
                Err(FlickrError::Http { .. }) => 2,
                Err(_) => 3,
            }] += 1;
            match &result {
                Ok(answer) => {
                    prop_assert!(text.contains("<rsp"), "Ok without <rsp: {:?}", text);
                    prop_assert!(
                        text.contains("stat=\"ok\"") || text.contains("stat='ok'"),
                        "Ok without stat ok: {:?}",
                        text
                    );
                    let tag = match answer {
                        UploadAnswer::PhotoId(_) => "<photoid",
                        UploadAnswer::TicketId(_) => "<ticketid",
                    };
                    prop_assert!(text.contains(tag), "{:?} from {:?}", answer, text);
                }
                Err(FlickrError::Api { .. }) => {
                    prop_assert!(text.contains("fail"), "Api error from {:?}", text);
                }
                Err(FlickrError::Http { status: s, .. }) => {
                    prop_assert_eq!(*s, status);
                    prop_assert!(!(200..300).contains(s));
                }
                Err(FlickrError::Malformed { .. }) => {}
                Err(other) => {
                    prop_assert!(false, "unexpected error kind {:?} for {:?}", other, text)
                }
            }
            if let Err(e) = &result {
                check_message(e, "upload")?;
            }
            Ok(())
        })
        .unwrap();
    let seen = seen.into_inner().unwrap();
    assert!(seen.iter().all(|&n| n > 20), "ok/api/http/other: {seen:?}");
}

/// Well-formed upload answers, in the forms Flickr and XML allow, give the right id or
/// failure.
#[test]
fn well_formed_upload_answers_are_read_exactly() {
    let client = client();
    let space = prop::sample::select(vec!["", " ", "\n", "\r\n  ", "\t"]);
    let quote = prop::sample::select(vec!['"', '\'']);
    let answer = (
        any::<bool>(),
        space.clone(),
        quote,
        "[0-9]{1,19}",
        prop::sample::select(vec!["photoid", "ticketid"]),
        "[ -~]{0,40}",
        "[0-9]{1,4}",
        any::<bool>(),
    );
    runner(1000)
        .run(
            &answer,
            |(decl, ws, q, id, element, msg, code, fail)| {
                let prolog = if decl {
                    "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n"
                } else {
                    ""
                };
                let escaped = msg
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&quot;")
                    .replace('\'', "&apos;");
                let doc = if fail {
                    format!(
                        "{prolog}<rsp stat={q}fail{q}>{ws}<err code={q}{code}{q} msg={q}{escaped}{q} />{ws}</rsp>"
                    )
                } else {
                    format!("{prolog}<rsp stat={q}ok{q}>{ws}<{element}>{ws}{id}{ws}</{element}>{ws}</rsp>{ws}")
                };
                let result = upload_with(&client, http(200, doc.as_bytes()));
                if fail {
                    match result {
                        Err(FlickrError::Api {
                            code: c,
                            message,
                            ..
                        }) => {
                            prop_assert_eq!(c, code.parse::<i64>().unwrap());
                            prop_assert_eq!(message, msg);
                        }
                        other => prop_assert!(false, "{:?} from {}", other, doc),
                    }
                } else {
                    let want = if element == "photoid" {
                        UploadAnswer::PhotoId(id)
                    } else {
                        UploadAnswer::TicketId(id)
                    };
                    prop_assert_eq!(result.unwrap(), want, "{}", doc);
                }
                Ok(())
            },
        )
        .unwrap();
}

/// Whole HTTP answers, valid ones cut, edited and spliced, and raw bytes: the client ends
/// every request with an answer or an error, quickly, for REST, upload and OAuth alike.
#[test]
fn mutated_http_answers_never_panic_or_hang() {
    let client = client();
    let valid = prop_oneof![
        (status(), rest_body()).prop_map(|(s, b)| http(s, &b)),
        (status(), upload_body()).prop_map(|(s, b)| http(s, &b)),
        Just(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"stat\":\"ok\"}   \r\n0\r\n\r\n".to_vec()),
        Just(b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Length: 14\r\n\r\n{\"stat\":\"ok\"}".to_vec()),
        Just(b"HTTP/1.1 200 OK\r\n\r\n{\"stat\":\"ok\"}".to_vec()),
        Just(b"HTTP/1.0 200 OK\r\n\r\noauth_token=a&oauth_token_secret=b".to_vec()),
    ];
    let answer = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        4 => (valid, prop::collection::vec(edit(), 0..4)).prop_map(|(doc, edits)| apply(doc, &edits)),
    ];
    runner(1500)
        .run(&(answer, 0u8..3), |(bytes, call)| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            match call {
                0 => {
                    if let Err(e) = rest_with(&client, bytes) {
                        check_message(&e, "flickr.test.echo")?;
                    }
                }
                1 => {
                    if let Err(e) = upload_with(&client, bytes) {
                        check_message(&e, "upload")?;
                    }
                }
                _ => match request_token_with(&client, bytes) {
                    Ok((token, secret)) => {
                        // (An empty value, "oauth_token_secret" with no "=", is taken
                        // today: see oauth_answers_need_both_values below.)
                        prop_assert!(
                            text.contains("oauth_token") && text.contains("oauth_token_secret"),
                            "token ({}, {}) from {:?}",
                            token,
                            secret,
                            text
                        );
                    }
                    Err(e) => check_message(&e, "request_token")?,
                },
            }
            Ok(())
        })
        .unwrap();
}

/// An upload answer whose id is not a Flickr id (empty, blank, words, markup) must not be
/// taken for a stored photo: the sync would record it as the photo's remote copy.
#[test]
fn upload_ids_are_flickr_ids() {
    let client = client();
    for doc in [
        "<rsp stat=\"ok\"><photoid></photoid></rsp>",
        "<rsp stat=\"ok\"><photoid>   </photoid></rsp>",
        "<rsp stat=\"ok\"><photoid>not a number</photoid></rsp>",
        "<rsp stat=\"ok\"><photoid><b>1</b></photoid></rsp>",
        "<rsp stat=\"ok\"><ticketid></ticketid></rsp>",
    ] {
        let result = upload_with(&client, http(200, doc.as_bytes()));
        assert!(
            matches!(result, Err(FlickrError::Malformed { .. })),
            "{doc} gave {result:?}"
        );
    }
}

/// A request token answer whose token or secret is missing its value must not start
/// the OAuth flow with an empty secret.
#[test]
fn oauth_answers_need_both_values() {
    let client = client();
    for body in [
        "oauth_token=a&oauth_token_secret",
        "oauth_token=a&oauth_token_secret=",
        "oauth_token=&oauth_token_secret=b",
    ] {
        let result = request_token_with(&client, http(200, body.as_bytes()));
        assert!(
            matches!(result, Err(FlickrError::Malformed { .. })),
            "{body} gave {result:?}"
        );
    }
}
