package dev.karp.lab;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link NetnsLab} of three nodes for each test of the scenario tests that extend it. */
public abstract class ThreeNodeLab {
    protected NetnsLab lab;
    protected LabHost n1;
    protected LabHost n2;
    protected LabHost n3;

    @BeforeEach
    protected void buildLab() throws IOException {
        lab = NetnsLab.create(3, withIpv6());
        n1 = lab.node(1);
        n2 = lab.node(2);
        n3 = lab.node(3);
    }

    /** Override to return true for a lab with IPv6 ({@link NetnsLab#create(int, boolean)}). */
    protected boolean withIpv6() {
        return false;
    }

    @AfterEach
    protected void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }
}
