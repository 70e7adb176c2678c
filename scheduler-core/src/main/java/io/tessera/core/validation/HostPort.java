package io.tessera.core.validation;

import java.util.regex.Pattern;

/**
 * Hosts and {@code host:port} addresses that an HTTP URI can carry: DNS names (letters, digits,
 * {@code -}, dots), IPv4 addresses, and IPv6 addresses, which an address writes in brackets
 * ({@code [fd00::5]:9999}). {@code java.net.URI} takes {@code my_gpu_box:9999} as a registry
 * authority with no host, which {@code HttpClient} refuses: such names are refused here instead,
 * with a message that says what is allowed.
 */
public final class HostPort {

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int MAX_NAME = 253;
    private static final String ALLOWED = "a host name (letters, digits, '-' and '.'; no '_', spaces or other"
            + " characters), an IPv4 address, or an IPv6 address";

    private HostPort() {
    }

    /**
     * The host as an address writes it: names and IPv4 as given, IPv6 in brackets.
     *
     * @throws ValidationException naming {@code field} when it is none of those
     */
    public static String host(String field, String host) {
        String text = host == null ? "" : host.trim();
        if (text.isEmpty()) {
            throw new ValidationException(field, "is empty; expected " + ALLOWED);
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.indexOf(':') >= 0) {
            if (!isIpv6(bare)) {
                throw new ValidationException(field, "'" + host + "' is not a valid IPv6 address (no zone ids such as"
                        + " '%eth0'); expected " + ALLOWED);
            }
            return "[" + bare + "]";
        }
        if (!bare.equals(text) || bare.length() > MAX_NAME || !NAME.matcher(bare).matches()) {
            throw new ValidationException(field, "'" + host + "' is not " + ALLOWED);
        }
        return bare;
    }

    /**
     * Checks an address as an executor card carries it, {@code host:port}.
     *
     * @throws ValidationException naming {@code field} when the host or the port is not valid
     */
    public static String checkAddress(String field, String address) {
        String text = Check.notBlank(field, address);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ValidationException(field, "'" + address + "' is not host:port");
        }
        String hostPart = text.substring(0, colon);
        if (hostPart.indexOf(':') >= 0 && !hostPart.startsWith("[")) {
            throw new ValidationException(field, "'" + address + "' has an IPv6 host without brackets; write [host]:port");
        }
        host(field, hostPart);
        String portPart = text.substring(colon + 1);
        if (!portPart.matches("\\d{1,5}") || Integer.parseInt(portPart) < 1 || Integer.parseInt(portPart) > 65535) {
            throw new ValidationException(field, "'" + address + "' has port '" + portPart + "'; a port is 1 to 65535");
        }
        return text;
    }

    private static boolean isIpv6(String text) {
        if (!IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            // A literal with ':' is parsed, never looked up.
            return java.net.InetAddress.getByName(text) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
