package io.tessera.executor.config;

import io.tessera.core.validation.HostPort;
import io.tessera.core.validation.ValidationException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address to advertise when none is configured. */
final class LocalHost {

    private LocalHost() {
    }

    /** This machine's address as an address writes it (IPv6 in brackets); 127.0.0.1 when there is none usable. */
    static String guess() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            return local.isLoopbackAddress() ? "127.0.0.1" : usable(local.getHostAddress());
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    /** An IPv6 address with a zone id (fe80::1%eth0) cannot go into a URI as it is: then loopback, as with no address. */
    static String usable(String address) {
        try {
            return HostPort.host("advertisedHost", address);
        } catch (ValidationException e) {
            System.getLogger(LocalHost.class.getName()).log(System.Logger.Level.WARNING, "This machine's address "
                    + address + " cannot be advertised (" + e.reason() + "); using 127.0.0.1. Set --host.");
            return "127.0.0.1";
        }
    }
}
