package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestRendererTest {
    @Test
    void print() {
        var s = ManifestSettings.builder().vip(Cidr.parse("192.168.1.100/24")).password(new PasswordSource.Literal("s3cret"))
                .namespace("karp-system").putNodeSelector("a", "true").addExtraArg("--debug").build();
        String y = ManifestRenderer.toYaml(ManifestRenderer.render(s));
        System.out.println(y);
        System.out.println(StrictModel.read(y));
        assertThat(y).isNotEmpty();
    }
}
