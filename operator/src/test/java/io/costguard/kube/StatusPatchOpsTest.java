package io.costguard.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The status write names the top-level fields that changed, nothing else, and never another writer's field. */
class StatusPatchOpsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void onlyChangedFieldsAreNamedAndALeftOutFieldIsRemoved() throws Exception {
        JsonNode read = json("{'state':'Healthy','current':{'p95':'120ms'},'regressions':[{'m':'a'}],'note':'x'}");
        JsonNode wanted = json("{'state':'Healthy','current':{'p95':'130ms'},'regressions':[{'m':'a'}]}");
        assertThat(StatusPatchOps.between(read, wanted, Set.of()))
                .isEqualTo(json("[{'op':'add','path':'/status/current','value':{'p95':'130ms'}},"
                        + "{'op':'remove','path':'/status/note'}]"));
    }

    @Test
    void theSameStatusNeedsNoOperationAndANullFieldCountsAsLeftOut() throws Exception {
        JsonNode read = json("{'state':'Healthy','note':null}");
        assertThat(StatusPatchOps.between(read, json("{'state':'Healthy'}"), Set.of()))
                .isEmpty();
        assertThat(StatusPatchOps.between(
                        json("{'state':'Healthy','x':1}"), json("{'state':'Healthy','x':null}"), Set.of()))
                .isEqualTo(json("[{'op':'remove','path':'/status/x'}]"));
    }

    @Test
    void aStatusNotThereYetIsAddedWholeWithoutAnotherWritersFields() throws Exception {
        assertThat(StatusPatchOps.between(
                        null,
                        json("{'state':'Pending','recordedBaseline':{'p95':'1s'},'x':null}"),
                        Set.of("recordedBaseline")))
                .isEqualTo(json("[{'op':'add','path':'/status','value':{'state':'Pending'}}]"));
    }

    @Test
    void aFieldNameIsEscapedAsAJsonPointer() {
        assertThat(StatusPatchOps.path("a/b~c")).isEqualTo("/status/a~1b~0c");
    }

    /**
     * Applied to the object as the server has it, the operations give the wanted status, except that another writer's
     * fields keep what the server holds (even a value the reader never saw).
     */
    @Property(tries = 400)
    void applyingTheOperationsGivesTheWantedStatusAndKeepsAnotherWritersFields(
            @ForAll("statuses") ObjectNode read,
            @ForAll("statuses") ObjectNode wanted,
            @ForAll("statuses") ObjectNode othersNewer,
            @ForAll("owned") Set<String> othersWrite) {
        ObjectNode server = JsonNodeFactory.instance.objectNode();
        ObjectNode held = read.deepCopy();
        // the other writer wrote after the read: the server's copy of its fields differs from what was read
        for (String f : othersWrite) {
            if (othersNewer.hasNonNull(f)) {
                held.set(f, othersNewer.get(f));
            }
        }
        server.set("status", held);
        server.putObject("spec").put("amount", "10");

        JsonNode after = JsonPatch.apply(StatusPatchOps.between(read, wanted, othersWrite), server);

        ObjectNode expected = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!othersWrite.contains(e.getKey()) && !e.getValue().isNull()) {
                expected.set(e.getKey(), e.getValue());
            }
        }
        for (String f : othersWrite) {
            if (held.has(f)) {
                expected.set(f, held.get(f));
            }
        }
        ObjectNode actual = ((ObjectNode) after.get("status")).deepCopy();
        // a null the server held for a field the wanted status leaves out is not worth a write
        for (Iterator<Map.Entry<String, JsonNode>> it = held.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().isNull() && !wanted.hasNonNull(e.getKey()) && !othersWrite.contains(e.getKey())) {
                actual.remove(e.getKey());
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(after.get("spec")).isEqualTo(server.get("spec"));
    }

    @Property(tries = 200)
    void equalStatusesNeedNoOperation(@ForAll("statuses") ObjectNode status, @ForAll("owned") Set<String> othersWrite) {
        assertThat(StatusPatchOps.between(status, status.deepCopy(), othersWrite))
                .isEmpty();
    }

    static final List<String> FIELDS =
            List.of("state", "current", "regressions", "lastEvaluated", "recordedBaseline", "a/b");

    @Provide
    Arbitrary<ObjectNode> statuses() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMaxLength(3).map(JsonNodeFactory.instance::textNode),
                Arbitraries.integers().between(0, 3).map(JsonNodeFactory.instance::numberNode),
                Arbitraries.just(JsonNodeFactory.instance.nullNode()),
                Arbitraries.strings().alpha().ofMaxLength(2).list().ofMaxSize(2).map(l -> {
                    var a = JsonNodeFactory.instance.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                }),
                Arbitraries.integers().between(0, 2).map(i -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    o.put("p95", i + "ms");
                    return (JsonNode) o;
                }));
        return Arbitraries.subsetOf(FIELDS).flatMap(fields -> {
            List<String> names = List.copyOf(fields);
            return value.list().ofSize(names.size()).map(values -> {
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                for (int i = 0; i < names.size(); i++) {
                    o.set(names.get(i), values.get(i));
                }
                return o;
            });
        });
    }

    @Provide
    Arbitrary<Set<String>> owned() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((a, b) -> a ? (b ? Set.of("recordedBaseline", "state") : Set.of("recordedBaseline")) : Set.of());
    }
}
