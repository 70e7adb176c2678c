package io.tessera.core.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5:9999", "gpu-7:1", "gpu-7.example.org.:65535", "[fd00::5]:9999", "[::1]:80",
            "[::ffff:10.0.0.5]:9999"})
    void anAddressItAcceptsIsAUriTheHttpClientCanCall(String address) {
        assertThat(HostPort.checkAddress("address", address)).isEqualTo(address);
        URI uri = URI.create("http://" + address + "/status");
        assertThat(uri.getHost()).isNotNull();
        assertThat(uri.getPort()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"my_gpu_box:9999", "gpu box:9999", "fd00::5:9999", "gpu:0", "gpu:65536", "gpu:", ":9999",
            "gpu", "gpu:99999999999", "[fe80::1%eth0]:9999", "-gpu:1", "[gpu]:1"})
    void anAddressTheHttpClientWouldRefuseIsRefusedNamingTheField(String address) {
        assertThatThrownBy(() -> HostPort.checkAddress("address", address))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("address"));
    }
}
