package io.tessera.admin.api;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link ContentTypeFilter} in front of {@code /api/*}. */
@Configuration(proxyBeanMethods = false)
public class ContentTypeConfiguration {

    @Bean
    FilterRegistrationBean<ContentTypeFilter> apiContentType(ProblemWriter problems) {
        FilterRegistrationBean<ContentTypeFilter> registration = new FilterRegistrationBean<>(new ContentTypeFilter(problems));
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
