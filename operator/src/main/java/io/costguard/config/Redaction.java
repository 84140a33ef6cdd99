package io.costguard.config;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operator may print of a URL or a message that could hold one: the user and password of a URL become
 * {@code ***}, and so do the values of query parameters whose name looks like a credential (token, password, key,
 * secret, auth, signature...). Logs, statuses, Events and admission warnings are readable by people who must not
 * learn the credentials the operator uses.
 */
public final class Redaction {
    public static final String MASK = "***";
    private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^\\s\"'<>]+");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|auth|credential|signature|session|cookie).*|sig|x-amz-security-token");
    /** Values shorter than this are not scrubbed from text: they would mask ordinary words, and guess nothing. */
    private static final int SHORTEST_SCRUBBED = 4;

    private Redaction() {}

    /** The URL without its user and password (which a client sends as basic auth instead). */
    public static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        String s = url.toString();
        int start = s.indexOf("://") + 3;
        return URI.create(s.substring(0, start)
                + s.substring(start + url.getRawAuthority().lastIndexOf('@') + 1));
    }

    public static String url(URI uri) {
        return url(uri.toString());
    }

    /** Every URL in {@code text} redacted; the rest of the text as it was. */
    public static String text(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(url(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@link #text} with every occurrence of the given secret values (header values, a password) masked too. */
    public static String text(String text, Collection<String> secrets) {
        String out = text(text);
        if (out == null) {
            return null;
        }
        for (String secret : secrets) {
            if (secret != null && secret.length() >= SHORTEST_SCRUBBED) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }

    private static String url(String url) {
        int schemeEnd = url.indexOf("://") + 3;
        int authorityEnd = schemeEnd;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(schemeEnd, authorityEnd);
        int at = authority.lastIndexOf('@');
        StringBuilder out = new StringBuilder(url.substring(0, schemeEnd))
                .append(at < 0 ? authority : MASK + authority.substring(at));
        String rest = url.substring(authorityEnd);
        int q = rest.indexOf('?');
        if (q < 0) {
            return out.append(rest).toString();
        }
        int hash = rest.indexOf('#', q);
        String query = hash < 0 ? rest.substring(q + 1) : rest.substring(q + 1, hash);
        out.append(rest, 0, q + 1);
        String[] params = query.split("&", -1);
        for (int i = 0; i < params.length; i++) {
            int eq = params[i].indexOf('=');
            String name = eq < 0 ? params[i] : params[i].substring(0, eq);
            out.append(i == 0 ? "" : "&")
                    .append(
                            eq >= 0
                                            && SECRET_NAME
                                                    .matcher(name.toLowerCase(Locale.ROOT))
                                                    .matches()
                                    ? name + "=" + MASK
                                    : params[i]);
        }
        return out.append(hash < 0 ? "" : rest.substring(hash)).toString();
    }
}
