package io.tessera.core.zk;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.validation.Check;
import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.WireCodec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Reads executor and admin cards from member nodes and checks them before anyone acts on them: a
 * card decides where triggers, log reads and result reports are sent, so one written by someone
 * else (or by a broken process) must not point them anywhere an HTTP client should not go, nor carry
 * sizes that cost the reader memory. A card that fails throws; the reader skips and logs it.
 */
public final class Cards {

    /** No honest card comes near this: a machine's devices and labels fit in a few KiB. */
    public static final int MAX_CARD_BYTES = 64 * 1024;
    public static final int MAX_DEVICES = 1_024;
    public static final int MAX_LABELS = 64;
    private static final int MAX_ID = 255;
    private static final int MAX_TEXT = 256;
    private static final int MAX_LABEL_VALUE = 1_024;
    private static final int MAX_URL = 2_048;

    private Cards() {
    }

    /**
     * @throws ValidationException naming what is wrong
     * @throws io.tessera.core.wire.WireFormatException when the data is not a card at all
     */
    public static ExecutorCard executor(byte[] data) {
        requireSize(data);
        return check(WireCodec.decode(data, ExecutorCard.class));
    }

    /** Checks a card already decoded: id, address, devices, labels and version. */
    public static ExecutorCard check(ExecutorCard card) {
        id("id", card.id());
        HostPort.checkAddress("address", card.address());
        if (card.devices().size() > MAX_DEVICES) {
            throw new ValidationException("devices", "a card lists " + card.devices().size() + " devices; at most "
                    + MAX_DEVICES + " are believed");
        }
        for (Device device : card.devices()) {
            length("devices.vendor", device.vendor(), MAX_TEXT);
            length("devices.model", device.model(), MAX_TEXT);
            length("devices.uuid", device.uuid(), MAX_TEXT);
        }
        if (card.labels().size() > MAX_LABELS) {
            throw new ValidationException("labels", "a card has " + card.labels().size() + " labels; at most " + MAX_LABELS);
        }
        for (Map.Entry<String, String> label : card.labels().entrySet()) {
            length("labels", label.getKey(), MAX_TEXT);
            length("labels", label.getValue(), MAX_LABEL_VALUE);
        }
        length("version", card.version(), MAX_TEXT);
        return card;
    }

    /**
     * @throws ValidationException naming what is wrong
     * @throws io.tessera.core.wire.WireFormatException when the data is not a card at all
     */
    public static AdminCard admin(byte[] data) {
        requireSize(data);
        return check(WireCodec.decode(data, AdminCard.class));
    }

    /** Checks a card already decoded: id (a name), URL (http(s), a valid host, no user info), sizes. */
    public static AdminCard check(AdminCard card) {
        Check.name("id", card.id());
        url("url", card.url());
        length("version", card.version(), MAX_TEXT);
        length("engine", card.engine(), MAX_TEXT);
        length("engineReason", card.engineReason(), MAX_LABEL_VALUE);
        return card;
    }

    /** An admin's base URL: http or https, a host {@link HostPort} accepts, no user info, query or fragment. */
    static URI url(String field, String url) {
        Check.notBlank(field, url);
        length(field, url, MAX_URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ValidationException(field, "'" + url + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ValidationException(field, "'" + url + "' is not an http(s) URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new ValidationException(field, "'" + url + "' must be scheme://host[:port][/path], without user info,"
                    + " query or fragment");
        }
        HostPort.host(field, uri.getHost());
        return uri;
    }

    private static void id(String field, String id) {
        Check.notBlank(field, id);
        length(field, id, MAX_ID);
        if (id.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) || c == '/')) {
            throw new ValidationException(field, "must not hold spaces, control characters or '/'");
        }
    }

    private static void length(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new ValidationException(field, "is " + value.length() + " characters long; at most " + max);
        }
    }

    private static void requireSize(byte[] data) {
        if (data == null || data.length == 0) {
            throw new ValidationException("card", "the member node holds no card");
        }
        if (data.length > MAX_CARD_BYTES) {
            throw new ValidationException("card", "the member node holds " + data.length + " bytes; a card is at most "
                    + MAX_CARD_BYTES);
        }
    }
}
