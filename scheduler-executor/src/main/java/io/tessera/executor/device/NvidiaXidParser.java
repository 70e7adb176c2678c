package io.tessera.executor.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the NVIDIA driver's Xid reports in kernel-log text, whatever put it there ({@code dmesg},
 * {@code journalctl -k}, a syslog file): the driver writes
 * <pre>
 * NVRM: Xid (PCI:0000:3b:00): 79, pid=1234, GPU has fallen off the bus.
 * </pre>
 * (older drivers without {@code PCI:}); what comes before {@code NVRM:} (a timestamp, a host name) is
 * ignored, and so is a later mention of another Xid in the text ({@code caused by previous Xid 149}).
 *
 * <p>Which Xids make a GPU unfit for work follows NVIDIA's Xid catalog
 * (https://docs.nvidia.com/deploy/xid-errors/analyzing-xid-catalog.html, and for dynamic page
 * retirement https://docs.nvidia.com/deploy/dynamic-page-retirement/): those whose remedy is a GPU
 * reset, a reboot or service, not restarting the application. Xids that name an application's fault
 * (13 graphics engine exception, 31 MMU fault, 43 stopped channel, 45 preemptive cleanup, 109 context
 * switch timeout...) leave the GPU as it is: the next job on it may run fine.
 */
public final class NvidiaXidParser {

    /** One Xid report: the GPU's PCI address as {@link #busId} writes it, the Xid, the driver's text after it. */
    public record XidEvent(String busId, int xid, String text) {
    }

    /** The Xids that mean the GPU itself is broken, with what each means. */
    static final Map<Integer, String> FATAL = Map.ofEntries(
            Map.entry(48, "double-bit ECC error"),
            Map.entry(62, "internal micro-controller halt"),
            Map.entry(63, "ECC page retirement or row remapping recorded, reset the GPU to apply it"),
            Map.entry(64, "ECC page retirement or row remapping failed"),
            Map.entry(74, "NVLink error"),
            Map.entry(79, "GPU has fallen off the bus"),
            Map.entry(92, "high single-bit ECC error rate"),
            Map.entry(94, "contained ECC error"),
            Map.entry(95, "uncontained ECC error"),
            Map.entry(119, "GSP RPC timeout"),
            Map.entry(120, "GSP error"));

    private static final Pattern XID = Pattern.compile(
            "NVRM: Xid \\((?:PCI:)?([0-9a-fA-F]{1,8}:[0-9a-fA-F]{1,2}:[0-9a-fA-F]{1,2})(?:\\.[0-7])?\\): (\\d{1,4})\\b,?\\s*(.*)$");
    private static final Pattern BUS_ID = Pattern.compile("^(?:PCI:)?([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})(?:\\.[0-7])?$");

    private NvidiaXidParser() {
    }

    /** Every Xid report in the text, in order. */
    public static List<XidEvent> parse(String log) {
        List<XidEvent> events = new ArrayList<>();
        if (log == null) {
            return events;
        }
        for (String line : log.split("\\R")) {
            Matcher xid = XID.matcher(line);
            if (xid.find()) {
                events.add(new XidEvent(busId(xid.group(1)), Integer.parseInt(xid.group(2)), xid.group(3).strip()));
            }
        }
        return events;
    }

    /** Whether the Xid means the GPU is broken (see the class comment). */
    public static boolean fatal(int xid) {
        return FATAL.containsKey(xid);
    }

    /** What the health of a GPU says for a broken-GPU Xid: {@code Xid 79 in the kernel log (GPU has fallen off the bus)}. */
    static String describe(int xid) {
        return "Xid " + xid + " in the kernel log (" + FATAL.get(xid) + ")";
    }

    /**
     * One spelling of a PCI address for both sides: {@code 0000:3b:00} for the kernel's
     * {@code PCI:0000:3b:00} and for {@code nvidia-smi}'s {@code 00000000:3B:00.0}; null when the text
     * is no PCI address.
     */
    public static String busId(String text) {
        Matcher address = BUS_ID.matcher(text == null ? "" : text.trim());
        if (!address.matches()) {
            return null;
        }
        return String.format(Locale.ROOT, "%04x:%02x:%02x", Long.parseLong(address.group(1), 16),
                Integer.parseInt(address.group(2), 16), Integer.parseInt(address.group(3), 16));
    }
}
