//! WebSocket handshakes from a real client (`tokio-tungstenite`) over loopback, to an axum echo
//! route with `#[cors(..., csrf)]`: a foreign origin is refused with `403` before the upgrade and
//! before the handler runs; the site's own origin, an allowed one and a client sending no
//! `Origin` connect and get their messages back.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use cors_runtime::cors;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{self, Error};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The one origin the policy allows besides the server's own.
const ALLOWED: &str = "http://localhost:3000";

/// The longest any step of a test may take.
const PATIENCE: Duration = Duration::from_secs(10);

/// Accepts the handshake, counting it, and sends every text or binary message back.
#[cors(origins = ["http://localhost:3000"], csrf)]
async fn echo(State(calls): State<Arc<AtomicUsize>>, upgrade: WebSocketUpgrade) -> Response {
    calls.fetch_add(1, Ordering::SeqCst);
    upgrade.on_upgrade(|mut socket: WebSocket| async move {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Text(_) | Message::Binary(_))
                && socket.send(message).await.is_err()
            {
                break;
            }
        }
    })
}

/// The client's end of a socket.
type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A server on a free loopback port: its address and how often its handler has run.
struct Server {
    address: String,
    calls: Arc<AtomicUsize>,
}

async fn serve() -> Server {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/ws", get(echo).layer(echo::layer()))
        .with_state(Arc::clone(&calls));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { address, calls }
}

impl Server {
    /// Opens a socket to `/ws` with this `Origin` (none for `None`).
    async fn connect(&self, origin: Option<&str>) -> Result<Socket, Error> {
        let mut request = format!("ws://{}/ws", self.address)
            .into_client_request()
            .unwrap();
        if let Some(origin) = origin {
            let origin = HeaderValue::from_str(origin).unwrap();
            request.headers_mut().insert("origin", origin);
        }
        let connecting = tokio_tungstenite::connect_async(request);
        let (socket, response) = timeout(PATIENCE, connecting)
            .await
            .expect("handshake in time")?;
        assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
        Ok(socket)
    }

    /// The socket with this `Origin` opens and echoes a message.
    async fn assert_echoes(&self, origin: Option<&str>) {
        use futures_util::{SinkExt, StreamExt};

        let mut socket = self.connect(origin).await.expect("the handshake succeeds");
        let hello = tungstenite::Message::text("hello");
        timeout(PATIENCE, socket.send(hello.clone()))
            .await
            .unwrap()
            .unwrap();
        let answer = timeout(PATIENCE, socket.next()).await.unwrap();
        assert_eq!(answer.unwrap().unwrap(), hello);
    }

    fn handler_calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_handshake_from_a_foreign_origin_is_refused_before_the_upgrade() {
    let server = serve().await;
    for origin in ["https://evil.example", "null", "http://localhost:3001"] {
        let Err(Error::Http(response)) = server.connect(Some(origin)).await else {
            panic!("a handshake from {origin} must be refused");
        };
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin}");
        assert!(
            response
                .headers()
                .keys()
                .all(|name| !name.as_str().starts_with("access-control-")),
            "{origin}"
        );
    }
    assert_eq!(server.handler_calls(), 0);
}

#[tokio::test]
async fn a_handshake_from_the_servers_own_origin_opens_and_echoes() {
    let server = serve().await;
    server
        .assert_echoes(Some(&format!("http://{}", server.address)))
        .await;
    assert_eq!(server.handler_calls(), 1);
}

#[tokio::test]
async fn a_handshake_from_an_allowed_origin_opens_and_echoes() {
    let server = serve().await;
    server.assert_echoes(Some(ALLOWED)).await;
    assert_eq!(server.handler_calls(), 1);
}

#[tokio::test]
async fn a_handshake_without_origin_opens_as_a_non_browser_client() {
    let server = serve().await;
    server.assert_echoes(None).await;
    assert_eq!(server.handler_calls(), 1);
}
