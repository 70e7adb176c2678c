package io.tessera.admin.ui.access;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.textfield.TextField;

/** Shows a new secret (a token, a generated password) this once, with a button that copies it. */
final class SecretDialog extends Dialog {

    SecretDialog(String title, String explanation, String secret) {
        setHeaderTitle(title);
        setWidth("min(36rem, 95vw)");
        TextField value = new TextField();
        value.setId("issued-secret");
        value.setValue(secret);
        value.setReadOnly(true);
        value.setWidthFull();
        Button copy = new Button("Copy", VaadinIcon.COPY.create(),
                click -> value.getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", secret));
        copy.setId("issued-secret-copy");
        add(new Paragraph(explanation), value);
        Button done = new Button("I have saved it", click -> close());
        done.setId("issued-secret-close");
        done.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(copy, done);
        setCloseOnOutsideClick(false);
    }
}
