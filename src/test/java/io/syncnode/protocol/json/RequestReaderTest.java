package io.syncnode.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncnode.protocol.Edge;
import io.syncnode.protocol.InputLimits;
import io.syncnode.protocol.InvalidInputException;
import io.syncnode.protocol.Memory;
import io.syncnode.protocol.RawJson;
import io.syncnode.protocol.Requests;
import io.syncnode.protocol.Session;
import io.syncnode.protocol.Timestamps;
import io.syncnode.protocol.VectorClock;
import io.syncnode.support.ProtocolExamples;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestReaderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String DEVICE = "laptop-0a1b2c3d4e5f";

  private final RequestReader reader = new RequestReader(InputLimits.DEFAULTS);

  /** JSON written with single quotes for readability. */
  private static InputStream body(String json) {
    return new ByteArrayInputStream(json.replace('\'', '"').getBytes(UTF_8));
  }

  private static InputStream example(String name) throws IOException {
    return new ByteArrayInputStream(ProtocolExamples.bytes(name));
  }

  private static JsonNode exampleTree(String name) throws IOException {
    return MAPPER.readTree(ProtocolExamples.bytes(name));
  }

  private static String pushOf(String list, String... entities) {
    return "{'device_id':'d1','" + list + "':[" + String.join(",", entities) + "]}";
  }

  private static String memoryWith(String fields) {
    return pushOf("memories", "{'id':'m1','content':'c'," + fields + "}");
  }

  private static String nested(int depth) {
    return "{'a':".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  private static InvalidInputException invalid(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(InvalidInputException.class);
    return (InvalidInputException) thrown;
  }

  private static void assertField(InvalidInputException e, String field, String problem) {
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.problem()).contains(problem);
    assertThat(e.detail()).isEqualTo(field + ": " + e.problem());
  }

  private static void assertRejected(Requests.Push push, String field, String problem) {
    assertThat(push.memories()).isEmpty();
    assertThat(push.rejected()).hasSize(1);
    assertThat(push.rejected().get(0).field()).isEqualTo(field);
    assertThat(push.rejected().get(0).error()).contains(problem);
  }

  private Memory onlyMemory(String json) {
    Requests.Push push = reader.push(body(json));
    assertThat(push.memories()).hasSize(1);
    return push.memories().get(0);
  }

  // ---- the protocol's examples

  @Test
  void registerExample() throws IOException {
    Requests.Register r = reader.register(example("register"));

    assertThat(r).isEqualTo(new Requests.Register(DEVICE, "laptop", "darwin", "0.1.0"));
  }

  @Test
  void statusExample() throws IOException {
    assertThat(reader.status(example("status"))).isEqualTo(new Requests.Status(DEVICE));
  }

  @Test
  void pullExample() throws IOException {
    Requests.Pull p = reader.pull(example("pull"));

    assertThat(p).isEqualTo(new Requests.Pull(DEVICE, Instant.parse("2025-12-02T10:00:01Z"), null, 500, 0L, null));
  }

  @Test
  void diffExample() throws IOException {
    Requests.Diff d = reader.diff(example("diff"));

    assertThat(d.deviceId()).isEqualTo(DEVICE);
    assertThat(d.memories()).containsExactly(
        new Requests.ManifestEntry("mem-7f3a", "0af4b48223e10f4a", Instant.parse("2025-12-02T10:00:00Z"), null),
        new Requests.ManifestEntry("mem-local-only", "aaaaaaaaaaaaaaaa", null, null));
    assertThat(d.sessions()).containsExactly(new Requests.ManifestEntry("sess-1", null, null, null));
    assertThat(d.edges()).containsExactly(new Requests.ManifestEntry("mem-7f3a:mem-0001:relates_to", null, null, null));
    assertThat(d.namespaceIds()).isNull();
  }

  @Test
  void pushExample() throws IOException {
    Requests.Push p = reader.push(example("push"));

    assertThat(p.deviceId()).isEqualTo(DEVICE);
    assertThat(p.force()).isFalse();
    assertThat(p.size()).isEqualTo(3);
  }

  @Test
  void pushExampleMemory() throws IOException {
    Memory m = reader.push(example("push")).memories().get(0);

    assertThat(m.id()).isEqualTo("mem-7f3a");
    assertThat(m.vectorClock()).isEqualTo(VectorClock.of(Map.of(DEVICE, 3L, "desktop-99", 1L)));
    assertThat(m.contentHash()).isEqualTo("0af4b48223e10f4a");
    assertThat(m.deletedAt()).isNull();
    assertThat(m.createdAt()).isEqualTo(Instant.parse("2025-12-01T09:30:00Z"));
    assertThat(m.updatedAt()).isEqualTo(Instant.parse("2025-12-02T10:00:00.250Z"));
    assertThat(m.lastModifiedBy()).isNull();
    assertThat(m.content()).isEqualTo("Use vertx-pg-client pipelining for batch writes");
    assertThat(m.type()).isEqualTo("decision");
    assertThat(m.tags()).containsExactly("perf", "db");
    assertThat(m.summary()).isEqualTo("pipelining");
    assertThat(m.namespaceId()).isEqualTo("repo-syncnode");
    assertThat(m.repoUrl()).isEqualTo("git@github.com:acme/app.git");
    assertThat(m.repoName()).isEqualTo("app");
    assertThat(m.relativePath()).isEqualTo("src/db.py");
    assertThat(m.sourceFile()).isNull();
    assertThat(m.sourceRepo()).isNull();
    assertThat(m.sourceTool()).isEqualTo("claude-code");
    assertThat(m.project()).isEqualTo("app");
    assertThat(m.sessionId()).isEqualTo("sess-1");
    assertThat(MAPPER.readTree(m.metadata().text()))
        .isEqualTo(exampleTree("push").path("memories").path(0).path("metadata"));
    assertThat(m.embedding()).containsExactly(0.0125f, -0.5f, 0.25f);
    assertThat(m.encrypted()).isNull();
    assertThat(m.visibility()).isNull();
  }

  @Test
  void pushExampleSession() throws IOException {
    Session s = reader.push(example("push")).sessions().get(0);

    assertThat(s.id()).isEqualTo("sess-1");
    assertThat(s.vectorClock()).isEqualTo(VectorClock.of(Map.of(DEVICE, 1L)));
    assertThat(s.createdAt()).isEqualTo(Instant.parse("2025-12-02T09:00:00Z"));
    assertThat(s.updatedAt()).isEqualTo(Instant.parse("2025-12-02T09:05:00Z"));
    assertThat(s.label()).isEqualTo("fix-db");
    assertThat(s.namespaceId()).isEqualTo("repo-syncnode");
    assertThat(s.tool()).isEqualTo("claude-code");
    assertThat(s.repoPath()).isNull();
    assertThat(s.branch()).isEqualTo("main");
    assertThat(s.startedAt()).isEqualTo(Instant.parse("2025-12-02T09:00:00Z"));
    assertThat(s.endedAt()).isNull();
    assertThat(s.summary()).isEqualTo("db work");
    assertThat(s.metadata()).isEqualTo(RawJson.EMPTY_OBJECT);
  }

  @Test
  void pushExampleEdge() throws IOException {
    Edge e = reader.push(example("push")).edges().get(0);

    assertThat(e.id()).isEqualTo("mem-7f3a:mem-0001:relates_to");
    assertThat(e.fromId()).isEqualTo("mem-7f3a");
    assertThat(e.toId()).isEqualTo("mem-0001");
    assertThat(e.relation()).isEqualTo("relates_to");
    assertThat(e.weight()).isEqualTo(0.75);
    assertThat(e.createdBy()).isNull();
    assertThat(e.createdAt()).isEqualTo(Instant.parse("2026-11-28T18:47:44.972936Z"));
    assertThat(e.updatedAt()).isEqualTo(Instant.parse("2026-11-28T18:47:44.972945Z"));
    assertThat(e.vectorClock()).isEqualTo(VectorClock.of(Map.of(DEVICE, 1L)));
  }

  // ---- defaults and accepted variants

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{'id':'m1','content':'c'}",
      "{'id':'m1','content':'c','type':null,'namespace_id':null,'tags':null,'metadata':null,'vector_clock':null,"
          + "'embedding':null,'created_at':null,'updated_at':null}",
  })
  void memoryDefaults(String memory) {
    Instant before = Timestamps.now();
    Memory m = onlyMemory(pushOf("memories", memory));
    Instant after = Timestamps.now();

    assertThat(m.type()).isEqualTo("fact");
    assertThat(m.namespaceId()).isEqualTo("global");
    assertThat(m.tags()).isEmpty();
    assertThat(m.metadata()).isEqualTo(new RawJson("{}"));
    assertThat(m.vectorClock()).isEqualTo(VectorClock.EMPTY);
    assertThat(m.embedding()).isNull();
    assertThat(m.summary()).isNull();
    assertThat(m.createdAt()).isBetween(before, after).isEqualTo(m.updatedAt());
  }

  @Test
  void sessionDefaults() {
    Instant before = Timestamps.now();
    Session s = reader.push(body(pushOf("sessions", "{'id':'s1','tool':null}"))).sessions().get(0);
    Instant after = Timestamps.now();

    assertThat(s.tool()).isEqualTo("contextfs");
    assertThat(s.namespaceId()).isEqualTo("global");
    assertThat(s.metadata()).isEqualTo(RawJson.EMPTY_OBJECT);
    assertThat(s.summary()).isNull();
    assertThat(s.label()).isNull();
    assertThat(s.startedAt()).isBetween(before, after).isEqualTo(s.createdAt());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{'from_id':'a','to_id':'b','relation':'r'}",
      "{'id':'something-else','from_id':'a','to_id':'b','relation':'r','weight':null,'metadata':null}",
  })
  void edgeDefaults(String edge) {
    Edge e = reader.push(body(pushOf("edges", edge))).edges().get(0);

    assertThat(e.id()).isEqualTo("a:b:r");
    assertThat(e.weight()).isEqualTo(1.0);
    assertThat(e.metadata()).isEqualTo(RawJson.EMPTY_OBJECT);
    assertThat(e.createdBy()).isNull();
  }

  @Test
  void pullDefaults() {
    Requests.Pull p = reader.pull(body("{'device_id':'d1','namespace_ids':[]}"));

    assertThat(p).isEqualTo(new Requests.Pull("d1", null, null, 1000, 0L, null));
  }

  @Test
  void pullNamespacesAndBounds() {
    Requests.Pull p = reader.pull(body(
        "{'device_id':'d1','namespace_ids':['n1','n2'],'limit':10000,'offset':9223372036854775807}"));

    assertThat(p.namespaceIds()).containsExactly("n1", "n2");
    assertThat(p.limit()).isEqualTo(10000);
    assertThat(p.offset()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void forceIsRead() {
    assertThat(reader.push(body("{'device_id':'d1','force':true}")).force()).isTrue();
    assertThat(reader.push(body("{'device_id':'d1','force':null}")).force()).isFalse();
  }

  @Test
  void missingListsAreEmpty() {
    Requests.Push p = reader.push(body("{'device_id':'d1','memories':null}"));

    assertThat(p.memories()).isEmpty();
    assertThat(p.sessions()).isEmpty();
    assertThat(p.edges()).isEmpty();
  }

  @Test
  void unknownFieldsAreIgnored() {
    Requests.Push p = reader.push(body("{'device_id':'d1','last_sync_timestamp':null,'backend_type':'x',"
        + "'future':{'deep':[1,{'x':null}],'s':'\\u0000'},"
        + "'memories':[{'id':'m1','content':'c','future_field':[{'a':1}],'also':'\\ud800'}]}"));

    assertThat(p.deviceId()).isEqualTo("d1");
    assertThat(p.memories()).extracting(Memory::id).containsExactly("m1");
    assertThat(reader.status(body("{'device_id':'d1','extra':{'a':[1,2]}}"))).isEqualTo(new Requests.Status("d1"));
  }

  @Test
  void clockZeroEntriesAreDroppedAndLargeCountersKept() {
    Memory m = onlyMemory(memoryWith(
        "'vector_clock':{'d1':9223372036854775806,'other':9223372036854775807,'zero':0}"));

    assertThat(m.vectorClock().counters())
        .containsExactly(Map.entry("d1", Long.MAX_VALUE - 1), Map.entry("other", Long.MAX_VALUE));
  }

  @Test
  void metadataIsKeptAsEquivalentJson() throws IOException {
    String metadata = "{'a':[1,2.5,true,false,null,'s\\u00e9'],'b':{'c':123456789012345678901234567890},'e':{}}";
    Memory m = onlyMemory(memoryWith("'metadata':" + metadata));

    assertThat(MAPPER.readTree(m.metadata().text())).isEqualTo(MAPPER.readTree(metadata.replace('\'', '"')));
  }

  @Test
  void metadataAtTheDepthLimitIsAccepted() {
    Memory m = onlyMemory(memoryWith("'metadata':" + nested(32)));

    assertThat(m.metadata().text()).isEqualTo(nested(32).replace('\'', '"'));
  }

  @Test
  void surrogatePairsAreAccepted() {
    assertThat(onlyMemory(memoryWith("'summary':'\\ud83d\\ude00'")).summary()).isEqualTo("\ud83d\ude00");
  }

  @Test
  void embeddingEdgeValues() {
    Memory m = onlyMemory(memoryWith("'embedding':[1,-2,3.4e38,1e-50]"));

    assertThat(m.embedding()).containsExactly(1f, -2f, 3.4e38f, 0f);
    assertThat(onlyMemory(memoryWith("'embedding':[]")).embedding()).isEmpty();
  }

  @Test
  void idOfExactlyTheByteLimitIsAccepted() {
    String id = "x".repeat(510) + "\u00e9";

    assertThat(onlyMemory(pushOf("memories", "{'id':'" + id + "','content':'c'}")).id()).isEqualTo(id);
  }

  @Test
  void diffEdgeIdsMayBeThreeIdentifiersLong() {
    String id = "x".repeat(3 * 512 + 2);

    assertThat(reader.diff(body("{'device_id':'d1','edges':[{'id':'" + id + "'}]}")).edges())
        .extracting(Requests.ManifestEntry::id).containsExactly(id);
    assertField(invalid(() -> reader.diff(body("{'device_id':'d1','edges':[{'id':'" + id + "x'}]}"))),
        "edges[0].id", "must be at most 1538");
  }

  // ---- refused: the request body as a whole

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "", "   ", "[]", "[{'device_id':'d1'}]", "'d1'", "null", "42",
      "{", "{'device_id':}", "{'device_id' 'd1'}", "{'device_id':'d1',}", "{'device_id':'d1'",
      "{'device_id':'d1'} {}", "{'device_id':'d1'} x", "{'device_id':'d1'}]",
      "{'device_id':'d1','device_id':'d2'}",
      "{'device_id':'d1','memories':[{'id':'m1','content':'c','vector_clock':{'a':1,'a':2}}]}",
      "{'device_id':'line\nbreak'}",
  })
  void refusesBadBodiesWithoutAField(String json) {
    InvalidInputException e = invalid(() -> reader.push(body(json)));

    assertThat(e.field()).isNull();
    assertThat(e.problem()).isNotBlank();
    assertThat(e.detail()).isEqualTo(e.problem());
  }

  @Test
  void bodyLevelProblemsAreDescribed() {
    assertThat(invalid(() -> reader.status(body(""))).problem()).contains("empty");
    assertThat(invalid(() -> reader.status(body("[]"))).problem()).contains("must be a JSON object");
    assertThat(invalid(() -> reader.status(body("{'device_id':"))).problem()).startsWith("malformed JSON");
    assertThat(invalid(() -> reader.status(body("{'device_id':'d1'} {}"))).problem())
        .contains("unexpected content after the JSON object");
    assertThat(invalid(() -> reader.status(body("{'device_id':'d1','device_id':'d2'}"))).problem())
        .contains("Duplicate field 'device_id'");
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] bytes = {'{', '"', 'd', 'e', 'v', 'i', 'c', 'e', '_', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};

    InvalidInputException e = invalid(() -> reader.status(new ByteArrayInputStream(bytes)));

    assertThat(e.field()).isNull();
    assertThat(e.problem()).startsWith("malformed JSON");
  }

  // ---- refused: one field, named by its path

  static Stream<Arguments> invalidPushes() {
    String tooLong = "x".repeat(513);
    String tooManyBytes = "\u00e9".repeat(257);
    return Stream.of(
        arguments("missing device_id", "{'memories':[]}", "device_id", "is required"),
        arguments("null device_id", "{'device_id':null}", "device_id", "is required"),
        arguments("empty device_id", "{'device_id':''}", "device_id", "must not be empty"),
        arguments("numeric device_id", "{'device_id':7}", "device_id", "must be a string"),
        arguments("device_id too long", "{'device_id':'" + tooLong + "'}", "device_id", "at most 512 characters"),
        arguments("memories not a list", "{'device_id':'d1','memories':{}}", "memories", "must be a JSON array"),
        arguments("memory not an object", pushOf("memories", "'m1'"), "memories[0]", "must be a JSON object"),
        arguments("missing content", pushOf("memories", "{'id':'m1'}"), "memories[0].content", "is required"),
        arguments("null content", pushOf("memories", "{'id':'m1','content':null}"), "memories[0].content",
            "is required"),
        arguments("missing id", pushOf("memories", "{'content':'c'}"), "memories[0].id", "is required"),
        arguments("missing id of the second memory",
            pushOf("memories", "{'id':'m1','content':'c'}", "{'content':'c'}"), "memories[1].id", "is required"),
        arguments("clock not an object", memoryWith("'vector_clock':[1]"), "memories[0].vector_clock",
            "must be a JSON object"),
        arguments("negative counter", memoryWith("'vector_clock':{'laptop':-1}"), "memories[0].vector_clock.laptop",
            "must be an integer from 0 to 9223372036854775807"),
        arguments("fractional counter", memoryWith("'vector_clock':{'laptop':1.5}"),
            "memories[0].vector_clock.laptop", "must be an integer"),
        arguments("float counter", memoryWith("'vector_clock':{'laptop':3.0}"), "memories[0].vector_clock.laptop",
            "must be an integer"),
        arguments("counter beyond long", memoryWith("'vector_clock':{'laptop':9223372036854775808}"),
            "memories[0].vector_clock.laptop", "must be an integer from 0 to 9223372036854775807"),
        arguments("string counter", memoryWith("'vector_clock':{'laptop':'3'}"), "memories[0].vector_clock.laptop",
            "must be an integer"),
        arguments("null counter", memoryWith("'vector_clock':{'laptop':null}"), "memories[0].vector_clock.laptop",
            "must be an integer"),
        arguments("session counter negative", pushOf("sessions", "{'id':'s1','vector_clock':{'x':-5}}"),
            "sessions[0].vector_clock.x", "must be an integer from 0"),
        arguments("unparseable started_at", pushOf("sessions", "{'id':'s1','started_at':'yesterday'}"),
            "sessions[0].started_at", "must be an ISO-8601 datetime"),
        arguments("numeric started_at", pushOf("sessions", "{'id':'s1','started_at':1733011200}"),
            "sessions[0].started_at", "must be an ISO-8601 datetime string"),
        arguments("year 0 updated_at", memoryWith("'updated_at':'0000-01-01T00:00:00'"), "memories[0].updated_at",
            "between years 1 and 9999"),
        arguments("tags with null", memoryWith("'tags':['a',null]"), "memories[0].tags[1]", "must be a string"),
        arguments("tags with a number", memoryWith("'tags':[3]"), "memories[0].tags[0]", "must be a string"),
        arguments("tags not a list", memoryWith("'tags':'a'"), "memories[0].tags", "must be a JSON array"),
        arguments("metadata a string", memoryWith("'metadata':'x'"), "memories[0].metadata", "must be a JSON object"),
        arguments("metadata a list", memoryWith("'metadata':[]"), "memories[0].metadata", "must be a JSON object"),
        arguments("metadata float beyond double", memoryWith("'metadata':{'a':1e400}"), "memories[0].metadata",
            "must fit a double"),
        arguments("NUL in content", pushOf("memories", "{'id':'m1','content':'a\\u0000b'}"), "memories[0].content",
            "must not contain NUL"),
        arguments("NUL in id", pushOf("memories", "{'id':'m\\u0000','content':'c'}"), "memories[0].id",
            "must not contain NUL"),
        arguments("NUL in metadata value", memoryWith("'metadata':{'k':{'j':'a\\u0000'}}"), "memories[0].metadata",
            "must not contain NUL"),
        arguments("NUL in metadata key", memoryWith("'metadata':{'k\\u0000':1}"), "memories[0].metadata",
            "must not contain NUL"),
        arguments("NUL in a tag", memoryWith("'tags':['ok','\\u0000']"), "memories[0].tags[1]",
            "must not contain NUL"),
        arguments("unpaired high surrogate", memoryWith("'summary':'\\ud800'"), "memories[0].summary",
            "must not contain unpaired surrogate"),
        arguments("unpaired low surrogate", memoryWith("'summary':'\\udc00x'"), "memories[0].summary",
            "must not contain unpaired surrogate"),
        arguments("surrogates in the wrong order", memoryWith("'summary':'\\ude00\\ud83d'"), "memories[0].summary",
            "must not contain unpaired surrogate"),
        arguments("unpaired surrogate in metadata", memoryWith("'metadata':{'k':'\\ud800'}"), "memories[0].metadata",
            "must not contain unpaired surrogate"),
        arguments("embedding beyond float", memoryWith("'embedding':[0.5,1e39]"), "memories[0].embedding[1]",
            "must fit a 32-bit float"),
        arguments("embedding beyond double", memoryWith("'embedding':[1e400]"), "memories[0].embedding[0]",
            "must be a finite number"),
        arguments("embedding with a string", memoryWith("'embedding':[0.5,'x']"), "memories[0].embedding[1]",
            "must be a number"),
        arguments("embedding with null", memoryWith("'embedding':[null]"), "memories[0].embedding[0]",
            "must be a number"),
        arguments("embedding not a list", memoryWith("'embedding':{}"), "memories[0].embedding",
            "must be a JSON array"),
        arguments("encrypted not a boolean", memoryWith("'encrypted':'yes'"), "memories[0].encrypted",
            "must be true or false"),
        arguments("edge without relation", pushOf("edges", "{'from_id':'a','to_id':'b'}"), "edges[0].relation",
            "is required"),
        arguments("edge without from_id", pushOf("edges", "{'to_id':'b','relation':'r'}"), "edges[0].from_id",
            "is required"),
        arguments("edge weight a string", pushOf("edges", "{'from_id':'a','to_id':'b','relation':'r','weight':'x'}"),
            "edges[0].weight", "must be a number"),
        arguments("session without id", pushOf("sessions", "{'summary':'s'}"), "sessions[0].id", "is required"),
        arguments("force not a boolean", "{'device_id':'d1','force':'yes'}", "force", "must be true or false"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPushes")
  void refusesInvalidPush(String name, String json, String field, String problem) {
    assertField(invalid(() -> reader.push(body(json))), field, problem);
  }

  static Stream<Arguments> entitiesOverALimit() {
    String tooLong = "x".repeat(513);
    String tooManyBytes = "\u00e9".repeat(257);
    return Stream.of(
        arguments("id too long", pushOf("memories", "{'id':'" + tooLong + "','content':'c'}"), "memories[0].id",
            "must be at most 512 characters"),
        arguments("id too many bytes", pushOf("memories", "{'id':'" + tooManyBytes + "','content':'c'}"),
            "memories[0].id", "must be at most 512 bytes of UTF-8"),
        arguments("own counter at Long.MAX_VALUE", memoryWith("'vector_clock':{'d1':9223372036854775807}"),
            "memories[0].vector_clock.d1", "must be below 9223372036854775807"),
        arguments("own session counter at Long.MAX_VALUE",
            pushOf("sessions", "{'id':'s1'}", "{'id':'s2','vector_clock':{'d1':9223372036854775807}}"),
            "sessions[1].vector_clock.d1", "must be below"),
        arguments("own edge counter at Long.MAX_VALUE",
            pushOf("edges", "{'from_id':'a','to_id':'b','relation':'r','vector_clock':{'d1':9223372036854775807}}"),
            "edges[0].vector_clock.d1", "must be below"),
        arguments("metadata too deep", memoryWith("'metadata':" + nested(33)), "memories[0].metadata",
            "must be nested at most 32 levels deep"),
        arguments("metadata too deep with arrays", memoryWith("'metadata':{'a':" + "[".repeat(32) + "]".repeat(32)
            + "}"), "memories[0].metadata", "must be nested at most 32 levels deep"));
  }

  /** An entity over a per-item limit is rejected alone: the push is read, the others kept. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("entitiesOverALimit")
  void entitiesOverALimitAreRejectedAlone(String name, String json, String field, String problem) {
    Requests.Push push = reader.push(body(json));

    assertThat(push.rejected()).hasSize(1);
    assertThat(push.rejected().get(0).field()).isEqualTo(field);
    assertThat(push.rejected().get(0).error()).contains(problem);
    assertThat(push.size()).as("the other entities").isEqualTo(field.startsWith("sessions[1]") ? 1 : 0);
  }

  static Stream<Arguments> invalidPulls() {
    return Stream.of(
        arguments("missing device_id", "{'limit':5}", "device_id", "is required"),
        arguments("limit 0", "{'device_id':'d1','limit':0}", "limit", "must be an integer from 1 to 10000"),
        arguments("limit 10001", "{'device_id':'d1','limit':10001}", "limit", "must be an integer from 1 to 10000"),
        arguments("limit fractional", "{'device_id':'d1','limit':5.5}", "limit", "must be an integer"),
        arguments("limit a string", "{'device_id':'d1','limit':'5'}", "limit", "must be an integer"),
        arguments("negative offset", "{'device_id':'d1','offset':-1}", "offset",
            "must be an integer from 0 to 9223372036854775807"),
        arguments("offset beyond long", "{'device_id':'d1','offset':9223372036854775808}", "offset",
            "must be an integer from 0 to 9223372036854775807"),
        arguments("since garbage", "{'device_id':'d1','since_timestamp':'soon'}", "since_timestamp",
            "must be an ISO-8601 datetime"),
        arguments("namespace a number", "{'device_id':'d1','namespace_ids':['n',1]}", "namespace_ids[1]",
            "must be a string"),
        arguments("namespace null", "{'device_id':'d1','namespace_ids':[null]}", "namespace_ids[0]",
            "must be a string"),
        arguments("namespace empty", "{'device_id':'d1','namespace_ids':['']}", "namespace_ids[0]",
            "must not be empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPulls")
  void refusesInvalidPull(String name, String json, String field, String problem) {
    assertField(invalid(() -> reader.pull(body(json))), field, problem);
  }

  static Stream<Arguments> invalidOthers() {
    Function<RequestReader, Function<InputStream, ?>> register = r -> r::register;
    Function<RequestReader, Function<InputStream, ?>> status = r -> r::status;
    Function<RequestReader, Function<InputStream, ?>> diff = r -> r::diff;
    return Stream.of(
        arguments("register without platform", register,
            "{'device_id':'d1','device_name':'n','client_version':'1'}", "platform", "is required"),
        arguments("register with null device_name", register,
            "{'device_id':'d1','device_name':null,'platform':'p','client_version':'1'}", "device_name",
            "is required"),
        arguments("register without device_id", register,
            "{'device_name':'n','platform':'p','client_version':'1'}", "device_id", "is required"),
        arguments("status without device_id", status, "{}", "device_id", "is required"),
        arguments("status with numeric device_id", status, "{'device_id':1}", "device_id", "must be a string"),
        arguments("diff entry without id", diff, "{'device_id':'d1','memories':[{'content_hash':'h'}]}",
            "memories[0].id", "is required"),
        arguments("diff entry with long id", diff,
            "{'device_id':'d1','sessions':[{'id':'" + "x".repeat(513) + "'}]}", "sessions[0].id",
            "must be at most 512"),
        arguments("diff entry with bad updated_at", diff,
            "{'device_id':'d1','memories':[{'id':'m1'},{'id':'m2','updated_at':'x'}]}", "memories[1].updated_at",
            "must be an ISO-8601 datetime"),
        arguments("diff entry not an object", diff, "{'device_id':'d1','edges':['a:b:c']}", "edges[0]",
            "must be a JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidOthers")
  void refusesInvalidOtherRequests(
      String name, Function<RequestReader, Function<InputStream, ?>> method, String json, String field,
      String problem) {
    Function<InputStream, ?> read = method.apply(reader);

    assertField(invalid(() -> read.apply(body(json))), field, problem);
  }

  @Test
  void smallerLimitsAreApplied() {
    InputLimits small = new InputLimits(16, 5, 5, 2, 2, 2, 10, 2, 2, 50);
    RequestReader strict = new RequestReader(small);

    assertRejected(strict.push(body(memoryWith("'summary':'123456'"))), "memories[0].summary",
        "must be at most 5 characters");
    assertRejected(strict.push(body(memoryWith("'vector_clock':{'a':1,'b':1,'c':1}"))),
        "memories[0].vector_clock.c", "at most 2 entries");
    assertRejected(strict.push(body(memoryWith("'embedding':[1,2,3]"))), "memories[0].embedding",
        "must have at most 2 elements");
    assertRejected(strict.push(body(memoryWith("'metadata':{'a':'0123456789'}"))),
        "memories[0].metadata", "must be at most 10 characters of JSON");
    assertThat(strict.push(body(pushOf("sessions", "{'id':'a'}", "{'id':'b'}", "{'id':'c'}"))).sessions())
        .as("more entities than itemsPerPush: stored in several chunks, read all").hasSize(3);
    assertField(invalid(() -> strict.pull(body("{'device_id':'d1','limit':51}"))), "limit", "from 1 to 50");
  }

  @Test
  void defaultPullLimitRespectsTheConfiguredMaximum() {
    InputLimits small = new InputLimits(512, 1_048_576, 65_536, 1_024, 8_192, 32, 1_048_576, 10_000, 1_000_000, 100);

    Requests.Pull p = new RequestReader(small).pull(body("{'device_id':'d1'}"));

    assertThat(p.limit()).isLessThanOrEqualTo(100);
  }
}
