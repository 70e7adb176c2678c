package io.tessera.admin.ui.runs;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The runs views use services (log reading, cancel) as the API does, never the API's controllers. */
class RunsViewsArchitectureTest {

    private static final JavaClasses ADMIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tessera.admin");

    @Test
    void theRunsViewsDoNotDependOnTheApi() {
        noClasses().that().resideInAPackage("io.tessera.admin.ui.runs..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.admin.api..")
                .check(ADMIN);
    }

    @Test
    void shardLogsAreReadOutsideTheApi() {
        noClasses().that().resideInAPackage("io.tessera.admin.dispatch..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.admin.api..")
                .check(ADMIN);
    }
}
