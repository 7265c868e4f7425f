package io.gossipnet.http;

import com.google.inject.AbstractModule;
import io.gossipnet.core.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an application contributes in the tests, the same module over every transport: a handler
 * by path through the {@code MapBinder} and a GET-only route with a trailing wildcard through the
 * {@code Multibinder}.
 */
final class Contributions extends AbstractModule {
  static final String GENESIS = "http-services-test-v1";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void configure() {
    HttpServicesModule.handlers(binder())
        .addBinding("/v1/{genesisID}/hello/{name}")
        .toInstance(req -> HttpResponse.text(200, "hello " + req.pathVariables().get("name") + " by " + req.method()));
    HttpServicesModule.routes(binder())
        .addBinding()
        .toInstance(HttpRoute.of("/v1/{genesisID}/files/{rest:*}", req -> HttpResponse.text(200, "file " + req.pathVariables().get("rest")), "GET"));
  }

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  static String hello(String name) {
    return "/v1/" + GENESIS + "/hello/" + name;
  }

  static String file(String rest) {
    return "/v1/" + GENESIS + "/files/" + rest;
  }

  static String blob(String key) {
    return "/v1/" + GENESIS + "/blob/" + key;
  }
}
