//! Answers made outside the `#[cors]` layers, as the README's table says a page on an allowed
//! origin reads them: for each answer, the layering that leaves it unreadable and the one that
//! makes it readable (the answering layer inside the `#[cors]` layer, or
//! `cors_runtime::outer(&FRONTEND)` added last), in every engine and the model.
//!
//! Each layering is a router of its own ([`sites`]), at an origin of its own behind the proxy, so
//! that its router-wide layers wrap nothing but its routes. The page is the suite's, whose origin
//! the routes' shared policy lists; every call carries credentials, which the policy allows.
//!
//! The model agrees with every engine on every case, the panics included: `CatchPanicLayer`
//! catches them in-process as it does behind the proxy. What no engine can send, a body of
//! unknown length, is left to the model alone, in `cors-runtime/tests/outside.rs`.

pub(crate) mod sites;

use crate::PAGE;
use crate::call::{Call, Reason};
use crate::run::run_from;
use crate::scenario::Scenario;
use sites::Layering::{
    AuthAfterPolicy, AuthOnRouter, BodyLimitOnRouter, CatchPanicOnRouter, Inside, Nested,
    PolicyOnRouter, TimeoutOnRouter,
};

/// A body over the routers' limit of 8 bytes.
const BIG: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// An authentication middleware's `401` is readable when it sits inside the `#[cors]` layer.
/// After it, in `route_layer`, the preflight still passes but the `401` is blocked; on the whole
/// router it answers the preflight itself. Either way the page reads nothing, unless `outer` is
/// added last.
#[test]
fn authentication_is_readable_inside_the_policy_or_under_the_outer_layer() {
    run_from(
        PAGE,
        &[
            Scenario::allowed(
                "auth in route_layer before the policy: the preflight passes, the 401 is readable",
                put("/item").to(Inside),
                401,
            )
            .answered(["OPTIONS 204", "PUT 401"]),
            Scenario::allowed(
                "auth in route_layer before the policy lets an authorized call through",
                get("/item").header("authorization", "Bearer t").to(Inside),
                200,
            )
            .body("item")
            .answered(["OPTIONS 204", "GET 200"]),
            Scenario::blocked(
                "auth in route_layer after the policy: the preflight passes, the 401 is blocked",
                put("/item").to(AuthAfterPolicy),
                Reason::NoAllowOrigin,
            )
            // a method router's `route_layer` wraps the methods it routes, and `OPTIONS` is not
            // one of them: the `#[cors]` layer answers the preflight before authentication runs
            .answered(["OPTIONS 204", "PUT 401"]),
            Scenario::blocked(
                "auth in route_layer after the policy: a simple request's 401 is blocked",
                get("/item").to(AuthAfterPolicy),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 401"]),
            Scenario::allowed(
                "auth in route_layer after the policy, under outer: the 401 is readable",
                put("/item").to(AuthAfterPolicy.outer()),
                401,
            )
            .answered(["OPTIONS 204", "PUT 401"]),
            Scenario::blocked(
                "auth on the whole router answers the preflight with its 401",
                put("/item").to(AuthOnRouter),
                Reason::PreflightFailed(401),
            )
            .answered(["OPTIONS 401"]),
            Scenario::blocked(
                "auth on the whole router: a simple request's 401 is blocked",
                get("/item").to(AuthOnRouter),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 401"]),
            Scenario::allowed(
                "auth on the whole router, under outer: the preflight passes, the 401 is readable",
                put("/item").to(AuthOnRouter.outer()),
                401,
            )
            .answered(["OPTIONS 204", "PUT 401"]),
            Scenario::allowed(
                "auth on the whole router, under outer, lets an authorized call through",
                put("/item")
                    .header("authorization", "Bearer t")
                    .to(AuthOnRouter.outer()),
                200,
            )
            .body("item")
            .answered(["OPTIONS 204", "PUT 200"]),
        ],
    );
}

/// A router-wide `TimeoutLayer`, `RequestBodyLimitLayer` or `CatchPanicLayer` answers outside
/// every `#[cors]` layer: its `408`, `413` or `500` is readable under `outer`, or with the layer
/// inside the route (for the body limit, `DefaultBodyLimit`, which the extractor applies).
#[test]
fn router_wide_timeouts_body_limits_and_panic_catchers_are_readable_only_from_inside_or_outer() {
    run_from(
        PAGE,
        &[
            Scenario::blocked(
                "a router-wide timeout's 408 is blocked",
                get("/slow").to(TimeoutOnRouter),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 408"]),
            Scenario::allowed(
                "a router-wide timeout's 408 is readable under outer",
                get("/slow").to(TimeoutOnRouter.outer()),
                408,
            )
            .answered(["GET 408"]),
            Scenario::allowed(
                "a timeout inside the route is readable",
                get("/slow").to(Inside),
                408,
            )
            .answered(["GET 408"]),
            Scenario::blocked(
                "a router-wide body limit refuses the declared length before any policy: blocked",
                post(BIG).to(BodyLimitOnRouter),
                Reason::NoAllowOrigin,
            )
            .answered(["POST 413"]),
            Scenario::allowed(
                "a router-wide body limit's 413 is readable under outer",
                post(BIG).to(BodyLimitOnRouter.outer()),
                413,
            )
            .answered(["POST 413"]),
            Scenario::allowed(
                "a body within the router-wide limit reaches the handler",
                post("1234").to(BodyLimitOnRouter),
                200,
            )
            .body("4 bytes")
            .answered(["POST 200"]),
            Scenario::allowed(
                "DefaultBodyLimit on the whole router answers through the extractor: readable",
                post(BIG).to(Inside),
                413,
            )
            .answered(["POST 413"]),
            Scenario::blocked(
                "a router-wide panic catcher's 500 is blocked",
                get("/panics").to(CatchPanicOnRouter),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 500"]),
            Scenario::allowed(
                "a router-wide panic catcher's 500 is readable under outer",
                get("/panics").to(CatchPanicOnRouter.outer()),
                500,
            )
            .answered(["GET 500"]),
            Scenario::allowed(
                "a panic catcher inside the route is readable",
                get("/panics").to(Inside),
                500,
            )
            .answered(["GET 500"]),
        ],
    );
}

/// What the handler, its extractors and the method router answer is readable; the router's
/// `404` is not, but under a router-wide policy or `outer`, nested routers included.
#[test]
fn handler_extractor_and_method_errors_are_readable_and_the_404_needs_a_router_wide_policy() {
    run_from(
        PAGE,
        &[
            Scenario::allowed(
                "the handler's own 500 is readable",
                get("/fails").to(Inside),
                500,
            )
            .answered(["GET 500"]),
            Scenario::allowed(
                "the Json extractor's 400 for a body that is not JSON is readable",
                json("POST", "/typed", "nope").to(Inside),
                400,
            )
            .answered(["OPTIONS 204", "POST 400"]),
            Scenario::allowed(
                "the Json extractor's 422 for JSON that is not a number is readable",
                json("POST", "/typed", r#""one""#).to(Inside),
                422,
            )
            .answered(["OPTIONS 204", "POST 422"]),
            Scenario::allowed(
                "the Json extractor's 415 for a text/plain body is readable",
                Call::post("/typed", "text/plain", "1")
                    .with_credentials()
                    .to(Inside),
                415,
            )
            .answered(["POST 415"]),
            Scenario::allowed(
                "axum's 405 for a method the policy lists but the path does not route is readable",
                Call::new("POST", "/read-only")
                    .with_credentials()
                    .to(Inside),
                405,
            )
            .answered(["POST 405"]),
            Scenario::blocked(
                "a method the policy does not list is refused at the preflight",
                Call::new("DELETE", "/read-only")
                    .with_credentials()
                    .to(Inside),
                Reason::MethodNotAllowed("DELETE"),
            )
            .answered(["OPTIONS 204"]),
            Scenario::blocked(
                "the router's 404 is blocked under per-route policies",
                get("/missing").to(Inside),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 404"]),
            Scenario::allowed(
                "the router's 404 is readable under a router-wide policy",
                get("/missing").to(PolicyOnRouter),
                404,
            )
            .answered(["GET 404"]),
            Scenario::allowed(
                "the router's 404 is readable under outer",
                get("/missing").to(Inside.outer()),
                404,
            )
            .answered(["GET 404"]),
            Scenario::blocked(
                "outer leaves a route's own refusal alone: its policy lists GET, not POST",
                Call::post("/narrow", "text/plain", "1")
                    .with_credentials()
                    .to(Inside.outer()),
                Reason::NoAllowOrigin,
            )
            .answered(["POST 200"]),
            Scenario::allowed(
                "a nested router's routes answer under their own policies",
                put("/api/item").to(Nested),
                200,
            )
            .body("item")
            .answered(["OPTIONS 204", "PUT 200"]),
            Scenario::blocked(
                "a nested router's unknown path gets the router's 404: blocked",
                get("/api/missing").to(Nested),
                Reason::NoAllowOrigin,
            )
            .answered(["GET 404"]),
            Scenario::allowed(
                "a nested router's unknown path is readable under outer on the outer router",
                get("/api/missing").to(Nested.outer()),
                404,
            )
            .answered(["GET 404"]),
        ],
    );
}

/// A `GET` with credentials.
fn get(path: &'static str) -> Call {
    Call::get(path).with_credentials()
}

/// A `PUT` of JSON with credentials: preflighted for its method and its content type.
fn put(path: &'static str) -> Call {
    json("PUT", path, "1")
}

/// A `method` call of `body` as JSON, with credentials: preflighted for its content type.
fn json(method: &'static str, path: &'static str, body: &'static str) -> Call {
    Call::sending(method, path, "application/json", body).with_credentials()
}

/// A text `POST` of `body` to `/upload`, with credentials: no preflight.
fn post(body: &'static str) -> Call {
    Call::post("/upload", "text/plain", body).with_credentials()
}
