package io.tessera.admin.ui.access;

import com.vaadin.flow.component.HasValidation;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.tessera.admin.config.TesseraProperties;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.Role;
import io.tessera.core.validation.ValidationException;

/** Creates a user; errors show next to the field they are about. */
final class NewUserDialog extends Dialog {

    private final TextField name = new TextField("Name");
    private final Select<Role> role = new Select<>();
    private final PasswordField password = new PasswordField("Password");

    NewUserDialog(AccessAdministration access, String actor, Runnable created) {
        setHeaderTitle("New user");
        name.setId("new-user-name");
        name.setRequired(true);
        name.setValueChangeMode(ValueChangeMode.EAGER);
        role.setId("new-user-role");
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.VIEWER);
        password.setId("new-user-password");
        password.setHelperText("at least " + TesseraProperties.Ui.MIN_PASSWORD_LENGTH + " characters");
        password.setValueChangeMode(ValueChangeMode.EAGER);
        password.addValueChangeListener(e -> password.setInvalid(false));
        name.addValueChangeListener(e -> name.setInvalid(false));
        add(new FormLayout(name, role, password));

        Button save = new Button("Create", click -> {
            try {
                access.createUser(name.getValue().trim(), role.getValue(), password.getValue(), actor);
                close();
                created.run();
            } catch (ValidationException e) {
                showError("password".equals(e.field()) ? password : name, e.getMessage());
            } catch (AccessAdministration.RefusedException e) {
                showError(name, e.getMessage());
            }
        });
        save.setId("new-user-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", click -> close());
        getFooter().add(cancel, save);
    }

    static void showError(HasValidation field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }
}
