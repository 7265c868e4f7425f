package io.gossipnet.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The routing policy that every transport's HTTP server applies. */
class HttpRouterTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private final HttpRouter router = new HttpRouter(100);

  private static HttpHandler says(String text) {
    return req -> HttpResponse.text(200, text);
  }

  private HttpResponse serve(String method, String path, byte[] body) throws Exception {
    return router.serve(new HttpRequest(method, path, "", Map.of(), Map.of(), body)).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
  }

  private HttpResponse get(String path) throws Exception {
    return serve("GET", path, new byte[0]);
  }

  @Test
  void aMatchedRouteGetsItsPathVariablesQueryHeadersAndBody() throws Exception {
    AtomicReference<HttpRequest> seen = new AtomicReference<>();
    router.register("/v1/{net}/block/{round}", req -> {
      seen.set(req);
      return HttpResponse.text(200, "ok");
    });
    HttpResponse r = router.serve(new HttpRequest("post", "/v1/main/block/42", "a=1", Map.of("x-k", List.of("v")), Map.of(), "hi".getBytes(StandardCharsets.UTF_8)))
        .get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    HttpRequest req = seen.get();
    assertThat(req.method()).isEqualTo("POST");
    assertThat(req.pathVariables()).containsExactlyInAnyOrderEntriesOf(Map.of("net", "main", "round", "42"));
    assertThat(req.query()).isEqualTo("a=1");
    assertThat(req.header("X-K")).isEqualTo("v");
    assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
  }

  @Test
  void theMostSpecificTemplateWinsWhateverTheRegistrationOrder() throws Exception {
    router.register("/{rest:*}", says("wildcard"));
    router.register("/v1/{a}/{b}", says("two variables"));
    router.register("/v1/{a}/status", says("variable then literal"));
    router.register("/v1/main/{b}", says("literal then variable"));
    router.register("/v1/main", says("exact"));
    router.register("/v1/main/{rest:*}", says("literal then wildcard"));
    assertThat(get("/v1/main/status").bodyText()).isEqualTo("literal then variable");
    assertThat(get("/v1/test/status").bodyText()).isEqualTo("variable then literal");
    assertThat(get("/v1/test/x").bodyText()).isEqualTo("two variables");
    assertThat(get("/v1/main").bodyText()).isEqualTo("exact");
    assertThat(get("/v1/main/a/b/c").bodyText()).isEqualTo("literal then wildcard");
    assertThat(get("/other").bodyText()).isEqualTo("wildcard");
  }

  @Test
  void aPathNoTemplateMatchesIs404() throws Exception {
    router.register("/status", says("up"));
    assertThat(get("/nothing").status()).isEqualTo(404);
    assertThat(get("/status/more").status()).isEqualTo(404);
  }

  @Test
  void aMethodNoMatchingRouteAllowsIs405WithTheAllowedMethods() throws Exception {
    router.register("/item/{id}", Set.of("get", "PUT"), says("item"));
    router.register("/item/{id:*}", Set.of("DELETE"), says("wildcard delete"));
    HttpResponse r = serve("POST", "/item/7", new byte[0]);
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("DELETE, GET, PUT");
    assertThat(get("/item/7").bodyText()).isEqualTo("item");
    assertThat(serve("DELETE", "/item/7", new byte[0]).bodyText()).isEqualTo("wildcard delete");
  }

  @Test
  void aRouteWithNoMethodsServesEveryMethod() throws Exception {
    router.register("/any", says("any"));
    for (String m : List.of("GET", "POST", "PATCH", "OPTIONS")) {
      assertThat(serve(m, "/any", new byte[0]).bodyText()).isEqualTo("any");
    }
  }

  @Test
  void aDeclaredBodyOverTheLimitIsRefusedBeforeAnyOfItIsRead() {
    router.register("/upload", says("stored"));
    HttpRouter.Routing routing = router.route("POST", "/upload", 101);
    assertThat(routing).isInstanceOf(HttpRouter.Refused.class);
    assertThat(((HttpRouter.Refused) routing).response().status()).isEqualTo(413);
    assertThat(router.route("POST", "/upload", 100)).isInstanceOf(HttpRouter.Matched.class);
  }

  @Test
  void aBodyOfUnknownLengthIsReadOneBytePastTheLimitAtMostThenRefused() throws Exception {
    router.register("/upload", says("stored"));
    HttpRouter.Matched m = (HttpRouter.Matched) router.route("POST", "/upload", -1);
    AtomicInteger asked = new AtomicInteger();
    HttpResponse r = m.run("", Map.of(), max -> {
      asked.set(max);
      return new byte[max];
    }).get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(asked.get()).isEqualTo(101);
    assertThat(r.status()).isEqualTo(413);
    HttpRouter.Matched ok = (HttpRouter.Matched) router.route("POST", "/upload", -1);
    assertThat(ok.run("", Map.of(), max -> new byte[100]).get(5, java.util.concurrent.TimeUnit.SECONDS).bodyText()).isEqualTo("stored");
  }

  @Test
  void aBodyThatCannotBeReadIs400() throws Exception {
    router.register("/upload", says("stored"));
    HttpRouter.Matched m = (HttpRouter.Matched) router.route("POST", "/upload", 10);
    HttpResponse r = m.run("", Map.of(), max -> {
      throw new java.io.IOException("reset by peer");
    }).get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void aFailingHandlerIs500WithoutItsMessageAndTheRouterKeepsServing() throws Exception {
    router.register("/boom", req -> {
      throw new IllegalStateException("secret detail");
    });
    router.register("/null", req -> null);
    router.register("/error", req -> {
      throw new AssertionError("bug");
    });
    router.register("/ok", says("fine"));
    HttpResponse boom = get("/boom");
    assertThat(boom.status()).isEqualTo(500);
    assertThat(boom.bodyText()).doesNotContain("secret");
    assertThat(get("/null").status()).isEqualTo(500);
    assertThat(get("/error").status()).isEqualTo(500);
    assertThat(get("/ok").bodyText()).isEqualTo("fine");
  }

  @Test
  void handlersRunOnVirtualThreads() throws Exception {
    AtomicReference<Thread> thread = new AtomicReference<>();
    router.register("/where", req -> {
      thread.set(Thread.currentThread());
      return HttpResponse.text(200, "here");
    });
    get("/where");
    assertThat(thread.get().isVirtual()).isTrue();
    assertThat(thread.get()).isNotSameAs(Thread.currentThread());
  }

  @Test
  void registeringATemplateAgainReplacesTheRoute() throws Exception {
    router.register("/status", says("old"));
    router.register("/status", says("new"));
    assertThat(router.templates()).containsExactly("/status");
    assertThat(get("/status").bodyText()).isEqualTo("new");
  }

  @Test
  void malformedTemplatesAreRefusedAtRegistration() {
    assertThatThrownBy(() -> router.register("status", says("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.register("/a/{b", says("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.register("/a/{}", says("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.register("/{a}/{a}", says("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.register("/{rest:*}/x", says("x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HttpRouter(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
