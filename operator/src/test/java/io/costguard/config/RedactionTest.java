package io.costguard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void theUserAndPasswordOfAUrlAreMasked() {
        assertThat(Redaction.url(URI.create("https://user:password@mimir.example.com/prometheus")))
                .isEqualTo("https://***@mimir.example.com/prometheus");
        assertThat(Redaction.url(URI.create("http://onlyuser@opa:8181"))).isEqualTo("http://***@opa:8181");
        assertThat(Redaction.url(URI.create("http://prometheus:9090"))).isEqualTo("http://prometheus:9090");
    }

    @Test
    void queryParametersThatLookLikeCredentialsAreMaskedAndOthersKept() {
        assertThat(Redaction.url(URI.create(
                        "https://thanos/api?access_token=abc&dedup=true&X-Amz-Signature=f00&sig=1&apiKey=k#frag")))
                .isEqualTo(
                        "https://thanos/api?access_token=***&dedup=true&X-Amz-Signature=***&sig=***&apiKey=***#frag");
        assertThat(Redaction.url(URI.create("https://thanos/api?password=p&partial_response=1&flag")))
                .isEqualTo("https://thanos/api?password=***&partial_response=1&flag");
    }

    @Test
    void urlsInsideTextAreMaskedAndTheRestIsKept() {
        assertThat(Redaction.text("cannot reach https://u:p@h:9090/x (refused); retry at http://a:b@c?token=t now"))
                .isEqualTo("cannot reach https://***@h:9090/x (refused); retry at http://***@c?token=*** now");
        assertThat(Redaction.text("no URL here: a=b & c")).isEqualTo("no URL here: a=b & c");
        assertThat(Redaction.text(null)).isNull();
    }

    @Test
    void knownSecretValuesAreScrubbedButNotShortOnes() {
        assertThat(Redaction.text("denied for tenant-a with ab", List.of("tenant-a", "ab")))
                .isEqualTo("denied for *** with ab");
    }

    @Test
    void withoutUserInfoKeepsEverythingElse() {
        assertThat(Redaction.withoutUserInfo(URI.create("https://u:p%40ss@h:443/base?x=1")))
                .isEqualTo(URI.create("https://h:443/base?x=1"));
        URI plain = URI.create("http://h/p");
        assertThat(Redaction.withoutUserInfo(plain)).isSameAs(plain);
    }

    @Property
    void aPasswordInAUrlNeverSurvivesRedaction(
            @ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 30) String user,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 8, max = 40) String password,
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String host) {
        String text = "GET https://" + user + ":" + password + "@" + host + ".example:9090/api/v1/query?token="
                + password + " failed";
        assertThat(Redaction.text(text)).doesNotContain(password).contains(host + ".example:9090/api/v1/query");
    }
}
