package io.tessera.admin.security;

import io.tessera.admin.config.OperatorConsole;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.store.DuplicateKeyException;
import io.tessera.admin.store.Role;
import io.tessera.admin.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes sure somebody can sign in: when the user table is empty, creates the ADMIN user
 * {@code tessera.ui.admin-user} with {@code tessera.ui.admin-password}, or with a generated password
 * that is shown once on the console ({@link OperatorConsole}), never in the log. Once any user
 * exists this does nothing, so a changed password in the UI is never overwritten at the next start.
 */
public final class FirstAdminUser {

    private static final Logger log = LoggerFactory.getLogger(FirstAdminUser.class);

    private final UserStore users;
    private final PasswordEncoder encoder;
    private final TesseraProperties.Ui settings;

    public FirstAdminUser(UserStore users, PasswordEncoder encoder, TesseraProperties.Ui settings) {
        this.users = users;
        this.encoder = encoder;
        this.settings = settings;
    }

    public void ensure() {
        if (users.count() > 0) {
            return;
        }
        boolean generated = settings.adminPassword() == null;
        String password = generated ? generatePassword() : settings.adminPassword();
        try {
            users.insert(UserStore.User.create(settings.adminUser(), encoder.encode(password), Role.ADMIN));
        } catch (DuplicateKeyException e) {
            log.info("UI user '{}' was created by another admin at the same moment", settings.adminUser());
            return;
        }
        if (generated) {
            log.warn("Created the UI's first user '{}' (ADMIN) with a generated password, shown once on the console",
                    settings.adminUser());
            OperatorConsole.show("""

                    ==============================================================
                      Created the UI's first user (ADMIN)
                        user:     %s
                        password: %s
                      This password is shown only once. Change it under Users,
                      or set tessera.ui.admin-password before the first start.
                    ==============================================================""".formatted(settings.adminUser(), password));
        } else {
            log.info("Created the UI's first user '{}' (ADMIN) with the password from tessera.ui.admin-password",
                    settings.adminUser());
        }
    }

    static String generatePassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
