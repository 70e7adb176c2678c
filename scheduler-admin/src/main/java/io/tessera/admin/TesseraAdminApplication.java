package io.tessera.admin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The admin: {@code java -jar scheduler-admin.jar}. */
@SpringBootApplication
public class TesseraAdminApplication {

    public static void main(String[] args) {
        SpringApplication.run(TesseraAdminApplication.class, args);
    }
}
