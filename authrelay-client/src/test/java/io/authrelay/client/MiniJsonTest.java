package io.authrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class MiniJsonTest {
    @Provide
    Arbitrary<String> wellFormed() {
        return Arbitraries.strings().all().ofMaxLength(50).filter(MiniJsonTest::wellFormed);
    }

    static boolean wellFormed(String s) {
        return s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
    }

    @Property(tries = 500)
    void stringsRoundTrip(
            @ForAll("wellFormed") String key,
            @ForAll("wellFormed") String value,
            @ForAll @Size(max = 4) List<@net.jqwik.api.From("wellFormed") String> list,
            @ForAll long number,
            @ForAll boolean flag) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("k", key);
        object.put(key.equals("k") ? "k2" : key, value);
        object.put("n", number);
        object.put("b", flag);
        object.put("z", null);
        object.put("list", list);
        String json = MiniJson.write(object);
        assertThat(MiniJson.parseObject(json)).isEqualTo(object);
        assertThat(json).doesNotContain("\n");
    }

    @Property(tries = 1_000)
    void garbageIsRejectedCleanly(@ForAll @Size(max = 80) String text) {
        try {
            MiniJson.parse(text);
        } catch (MiniJson.JsonException expected) {
            assertThat(expected.getMessage()).startsWith("invalid JSON").doesNotContain("\n");
        }
    }

    @Property(tries = 500)
    void mutatedResponsesNeverEscapeAsOtherExceptions(@ForAll("mutations") String text) {
        try {
            MiniJson.parse(text);
        } catch (MiniJson.JsonException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<String> mutations() {
        String base =
                "{\"error\":{\"code\":\"needs_reauth\",\"message\":\"gh \\u00e9 \\ud83d\\ude00\",\"hint\":null},\"n\":[1,-2.5e3,true]}";
        return Arbitraries.integers()
                .between(0, base.length() - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .flatMap(cuts -> Arbitraries.of("", "\"", "\\", "{", "]", "\\u", "\\ud800", "\u0000", "9e", "-", ",")
                        .list()
                        .ofSize(cuts.size())
                        .map(inserts -> {
                            StringBuilder b = new StringBuilder(base);
                            for (int i = 0; i < cuts.size(); i++) {
                                int at = Math.min(cuts.get(i), b.length());
                                b.insert(at, inserts.get(i));
                            }
                            return b.toString();
                        }));
    }

    @Example
    void parsesTheBrokerShapes() {
        Map<String, Object> vend = MiniJson.parseObject(
                "{\"provider\":\"github\",\"username\":\"x-access-token\",\"password\":\"ghs_1\",\"password_expiry_utc\":1767225600}");
        assertThat(MiniJson.integer(vend, "password_expiry_utc")).isEqualTo(1767225600L);
        Map<String, Object> error = MiniJson.object(
                MiniJson.parseObject(
                        " {\"error\" : {\"code\":\"needs_reauth\",\"message\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDE00\",\"hint\":\"run\"}} "),
                "error");
        assertThat(MiniJson.string(error, "message")).isEqualTo("a\"b\\c/d\né😀");
        assertThat(MiniJson.parse("[1.5,-0,1e2,null,{}]")).isEqualTo(Arrays.asList(1.5, 0L, 100.0, null, Map.of()));
        assertThat(MiniJson.parse("12345678901234567890")).isEqualTo(1.2345678901234567E19);
    }

    @Example
    void rejectsWhatIsNotJson() {
        for (String bad : List.of(
                "",
                "{",
                "{\"a\":}",
                "{\"a\":1,}",
                "[1,]",
                "01",
                "1.",
                "-",
                "+1",
                "\"\\x\"",
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"\\ud800\\u0041\"",
                "\"\u0001\"",
                "tru",
                "nul",
                "{\"a\":1}x",
                "{\"a\":1,\"a\":2}",
                "{a:1}",
                "'a'",
                "\"\\u12\"",
                "\"\\u１２３４\"",
                "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> MiniJson.parse(bad)).as(bad).isInstanceOf(MiniJson.JsonException.class);
        }
    }

    @Example
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThatThrownBy(() -> MiniJson.parse(deep))
                .isInstanceOf(MiniJson.JsonException.class)
                .hasMessageContaining("nested");
    }

    @Example
    void writesEscapes() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("s", "q\"b\\n\n\u0001\u2028");
        assertThat(MiniJson.write(object)).isEqualTo("{\"s\":\"q\\\"b\\\\n\\n\\u0001\\u2028\"}");
    }
}
