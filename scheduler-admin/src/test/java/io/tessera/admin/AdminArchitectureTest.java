package io.tessera.admin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The admin never depends on the executor module, except the demo, which starts an agent in-process. */
class AdminArchitectureTest {

    private static final JavaClasses ADMIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tessera.admin");

    @Test
    void onlyTheDemoUsesTheExecutorModule() {
        noClasses().that().resideOutsideOfPackage("io.tessera.admin.demo..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.executor..")
                .because("the admin talks to executors over the wire contract in scheduler-core; only --demo embeds an agent")
                .check(ADMIN);
    }

    @Test
    void theApiAndSecurityDoNotReachIntoTheDemo() {
        noClasses().that().resideOutsideOfPackage("io.tessera.admin.demo..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.admin.demo..")
                .check(ADMIN);
    }

    @Test
    void theUiAndTheApiShareServicesNotEachOther() {
        noClasses().that().resideInAPackage("io.tessera.admin.ui..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.admin.api..")
                .because("what the UI and the API both do lives in services (engine, cluster, security, dispatch)")
                .check(ADMIN);
        noClasses().that().resideInAPackage("io.tessera.admin.api..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.admin.ui..")
                .check(ADMIN);
    }

    @Test
    void theSharedServicesDependOnNeitherTheApiNorTheUi() {
        noClasses().that().resideInAnyPackage("io.tessera.admin.engine..", "io.tessera.admin.cluster..",
                        "io.tessera.admin.dispatch..", "io.tessera.admin.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tessera.admin.api..", "io.tessera.admin.ui..")
                .because("the API and the UI are two front ends over the same services")
                .check(ADMIN);
    }
}
