package dev.karp.config;

/** A self-signed test certificate (CN=karp-test-ca; its key was thrown away) for --health-ca tests. */
final class TestPem {
    static final String CERTIFICATE = ""
            + "-----BEGIN CERTIFICATE-----\n"
            + "MIIBhDCCASugAwIBAgIUSAYPviGkxkmlli82nN6CX/bAergwCgYIKoZIzj0EAwIw\n"
            + "FzEVMBMGA1UEAwwMa2FycC10ZXN0LWNhMCAXDTI2MTEyNjEyMTUyNFoYDzIxMjYx\n"
            + "MTAyMTIxNTI0WjAXMRUwEwYDVQQDDAxrYXJwLXRlc3QtY2EwWTATBgcqhkjOPQIB\n"
            + "BggqhkjOPQMBBwNCAAQN7Dw2hgj8w+mmUG22nwQel/TlO/LvbCK9c71xDKiRxzK3\n"
            + "pOqMQatd6qNrkfVMiR8oOS+uTTVZQqfWICCQsBdMo1MwUTAdBgNVHQ4EFgQU1gKT\n"
            + "24kIpJSIecYZ3OnGmZi/GjQwHwYDVR0jBBgwFoAU1gKT24kIpJSIecYZ3OnGmZi/\n"
            + "GjQwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBnGPj+6qXXjMmE\n"
            + "11jHHsABJvUN5VpmQrZpWuo00CsdAAIgD/YT0Y2wwInqQXnOpu6jyuDGdHsJu3ul\n"
            + "GFrTiEeHh0g=\n"
            + "-----END CERTIFICATE-----\n";

    private TestPem() {
    }
}
