package dev.karp.cli;

import dev.karp.lab.LabHost;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link KarpLab} of three nodes for each test of the scenario ITs that extend it. */
abstract class ThreeNodeLab {
    protected KarpLab k;
    protected LabHost n1;
    protected LabHost n2;
    protected LabHost n3;

    @BeforeEach
    void buildLab() throws IOException {
        k = KarpLab.create(3);
        n1 = k.node(1);
        n2 = k.node(2);
        n3 = k.node(3);
    }

    @AfterEach
    void closeLab() {
        k.close();
    }
}
