package io.tessera.admin.ui.access;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import io.tessera.admin.security.AccessAdministration;
import io.tessera.admin.store.Role;
import io.tessera.core.validation.ValidationException;

import java.util.function.Consumer;

/** Issues an API token; the caller shows its secret. */
final class NewTokenDialog extends Dialog {

    NewTokenDialog(AccessAdministration access, String actor, Consumer<AccessAdministration.IssuedToken> issued) {
        setHeaderTitle("New API token");
        TextField name = new TextField("Name");
        name.setId("new-token-name");
        name.setHelperText("who or what uses it, e.g. ci-pipeline");
        name.setValueChangeMode(ValueChangeMode.EAGER);
        name.addValueChangeListener(e -> name.setInvalid(false));
        Select<Role> role = new Select<>();
        role.setId("new-token-role");
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.OPERATOR);
        add(new FormLayout(name, role));

        Button save = new Button("Create", click -> {
            try {
                AccessAdministration.IssuedToken token = access.createToken(name.getValue().trim(), role.getValue(), actor);
                close();
                issued.accept(token);
            } catch (ValidationException e) {
                NewUserDialog.showError(name, e.getMessage());
            }
        });
        save.setId("new-token-save");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), save);
    }
}
