package io.ibreid.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JSON difference with its own labels (AblationPlanTest covers plan.json's wording). */
class JsonDiffTest {
  private static final JsonDiff DIFF = new JsonDiff("document", "before", "after");

  private static JsonNode json(String s) throws Exception {
    return new ObjectMapper().readTree(s);
  }

  @Test
  void namesTheFirstDifferingPathWithTheGivenLabels() throws Exception {
    assertThat(DIFF.first(json("{\"a\": {\"b\": [1, 2]}}"), json("{\"a\": {\"b\": [1, 2]}}"))).isNull();
    assertThat(DIFF.first(json("{\"a\": {\"b\": [1, 2]}}"), json("{\"a\": {\"b\": [1, 3]}}")))
        .isEqualTo("a.b[1]: 2 before, 3 after");
    assertThat(DIFF.first(json("[1]"), json("{\"a\": 1}"))).isEqualTo("document: [1] before, {\"a\":1} after");
    assertThat(DIFF.first(json("{\"a\": \"x\"}"), json("{\"b\": \"x\"}"))).isEqualTo("b: absent before, x after");
    // elements with an id are named by it; more elements now: their counts after the common ones
    assertThat(DIFF.first(json("{\"r\": [{\"id\": \"p\", \"v\": 1}]}"),
        json("{\"r\": [{\"id\": \"p\", \"v\": 2}, {\"id\": \"q\"}]}"))).isEqualTo("r[p].v: 1 before, 2 after");
    assertThat(DIFF.first(json("{\"r\": [{\"id\": \"p\"}]}"), json("{\"r\": [{\"id\": \"p\"}, {\"id\": \"q\"}]}")))
        .isEqualTo("r: 1 entries before, 2 entries after");
    String longText = "x".repeat(100);
    assertThat(DIFF.first(json("{\"s\": \"" + longText + "\"}"), json("{\"s\": \"y\"}")))
        .isEqualTo("s: " + "x".repeat(77) + "... before, y after");
  }
}
