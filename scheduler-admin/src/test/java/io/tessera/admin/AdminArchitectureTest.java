package io.tessera.admin;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

    @Test
    void noPackageCycles() {
        slices().matching("io.tessera.admin.(*)..").should().beFreeOfCycles()
                .because("packages read as the life of a run, one way; a cycle means two of them are one")
                .check(ADMIN);
    }

    /**
     * api, ui → engine → fire, place, dispatch, record, reconcile → store, cluster: the front doors
     * use the engine, the engine drives the stages, the stages use storage and the cluster, and
     * nothing reaches back up.
     */
    @Test
    void theLifeOfARunReadsOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("front doors").definedBy("io.tessera.admin.api..", "io.tessera.admin.ui..")
                .layer("engine").definedBy("io.tessera.admin.engine..")
                .layer("stages").definedBy("io.tessera.admin.fire..", "io.tessera.admin.place..",
                        "io.tessera.admin.dispatch..", "io.tessera.admin.record..", "io.tessera.admin.reconcile..")
                .layer("foundations").definedBy("io.tessera.admin.store..", "io.tessera.admin.cluster..")
                .whereLayer("front doors").mayNotBeAccessedByAnyLayer()
                .whereLayer("engine").mayOnlyBeAccessedByLayers("front doors")
                .whereLayer("stages").mayOnlyBeAccessedByLayers("front doors", "engine")
                .whereLayer("foundations").mayOnlyBeAccessedByLayers("front doors", "engine", "stages")
                .check(ADMIN);
    }

    @Test
    void theStagesDoNotKnowEachOther() {
        String[] stages = {"fire", "place", "dispatch", "record", "reconcile"};
        for (String stage : stages) {
            for (String other : stages) {
                if (!stage.equals(other)) {
                    noClasses().that().resideInAPackage("io.tessera.admin." + stage + "..")
                            .should().dependOnClassesThat().resideInAPackage("io.tessera.admin." + other + "..")
                            .because("the engine composes the stages; each stage stands on storage and the cluster alone")
                            .check(ADMIN);
                }
            }
        }
    }
}
