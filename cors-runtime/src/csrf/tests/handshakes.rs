//! The rules for WebSocket handshakes, at the level of headers.

use http::Method;
use http::header::UPGRADE;

use super::{EVIL, OWN, PARTNER, handshake, post, request};
use crate::csrf::{Pass, Refusal, Verdict};

#[test]
fn a_handshake_from_the_sites_own_origin_passes() {
    let request = handshake().with_origin(OWN);
    assert_eq!(request.verdict(), Verdict::Pass(Pass::OriginIsHost));
}

#[test]
fn a_handshake_from_an_allowed_origin_passes() {
    let request = handshake().with_origin(PARTNER);
    assert_eq!(request.verdict(), Verdict::Pass(Pass::AllowedOrigin));
}

#[test]
fn a_handshake_from_a_foreign_origin_is_refused_whatever_sec_fetch_site_says() {
    let refused = Verdict::Refuse(Refusal::WebSocketFromOtherOrigin);
    assert_eq!(handshake().with_origin(EVIL).verdict(), refused);
    assert_eq!(handshake().with_origin("null").verdict(), refused);
    let marked = handshake().with_site("same-origin").with_origin(EVIL);
    assert_eq!(marked.verdict(), refused);
}

#[test]
fn a_handshake_without_origin_passes_as_a_non_browser_client() {
    assert_eq!(handshake().verdict(), Verdict::Pass(Pass::NoOrigin));
}

#[test]
fn a_handshake_with_two_origins_is_refused() {
    let request = handshake().with_origin(OWN).with_origin(OWN);
    assert_eq!(request.verdict(), Verdict::Refuse(Refusal::RepeatedOrigin));
}

/// The verdict on a `GET` from a foreign origin with this one `Upgrade` line.
fn foreign_get_upgrading_to(upgrade: &'static str) -> Verdict {
    request(Method::GET)
        .with(UPGRADE, upgrade)
        .with_origin(EVIL)
        .verdict()
}

#[test]
fn any_upgrade_item_naming_websocket_makes_a_handshake_without_connection() {
    for upgrade in ["WebSocket", "h2c, websocket", " websocket/13 ", "WEBSOCKET"] {
        assert_eq!(
            foreign_get_upgrading_to(upgrade),
            Verdict::Refuse(Refusal::WebSocketFromOtherOrigin),
            "{upgrade:?}"
        );
    }
    let second_line = request(Method::GET)
        .with(UPGRADE, "h2c")
        .with(UPGRADE, "websocket")
        .with_origin(EVIL);
    assert_eq!(
        second_line.verdict(),
        Verdict::Refuse(Refusal::WebSocketFromOtherOrigin)
    );
}

#[test]
fn other_upgrades_and_other_methods_are_no_handshake() {
    for upgrade in ["h2c", "websockets", "web socket", ""] {
        assert_eq!(
            foreign_get_upgrading_to(upgrade),
            Verdict::Pass(Pass::SafeMethod),
            "{upgrade:?}"
        );
    }
    let head = request(Method::HEAD)
        .with(UPGRADE, "websocket")
        .with_origin(EVIL);
    assert_eq!(head.verdict(), Verdict::Pass(Pass::SafeMethod));
    let post = post().with(UPGRADE, "websocket").with_origin(EVIL);
    assert_eq!(post.verdict(), Verdict::Refuse(Refusal::OriginNotHost));
}
