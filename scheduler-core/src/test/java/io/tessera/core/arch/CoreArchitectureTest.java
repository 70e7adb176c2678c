package io.tessera.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Core is shared by admin and executor: it must not know Spring, MyBatis, Vaadin, Netty or either module. */
class CoreArchitectureTest {

    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tessera.core");

    @Test
    void coreStaysFreeOfFrameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.ibatis..", "org.mybatis..", "com.vaadin..", "io.netty..",
                        "io.tessera.admin..", "io.tessera.executor..")
                .check(core);
    }

    @Test
    void placementIsPure() {
        noClasses().that().resideInAPackage("io.tessera.core.placement..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..",
                        "java.io..", "java.net..", "java.nio.file..")
                .check(core);
    }
}
