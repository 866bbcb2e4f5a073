package dev.claudebackup.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.BeanScope;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.BeanProcessorFactory;
import org.apache.camel.support.MessageHelper;

/**
 * Camel's processors for the routes' {@code bean:} steps, but a step that names a registry bean's
 * method that takes only the {@link Exchange} and returns nothing calls it directly, through a method
 * handle. Camel's own bean processor chooses the method by name, binds its parameters and calls it by
 * reflection at every call: on the per-chat steps of a full backup that was 4 % of the CPU
 * (bench/RESULTS.md, "Eighth pass"). What a direct call keeps of Camel's: the body's stream cache is
 * reset first, and what the method throws, an Error too, is the exchange's exception. Every other step
 * (a method with other parameters, one that returns the new body, an overloaded name, an annotated
 * method, a bean given by type) is Camel's as before.
 */
final class DirectBeanCalls implements BeanProcessorFactory {

    private static final MethodType EXCHANGE_TO_VOID = MethodType.methodType(void.class, Exchange.class);

    private final BeanProcessorFactory camels;

    DirectBeanCalls(BeanProcessorFactory camels) {
        this.camels = camels;
    }

    @Override
    public Processor createBeanProcessor(CamelContext context, Object bean, Method method) throws Exception {
        return camels.createBeanProcessor(context, bean, method);
    }

    @Override
    public Processor createBeanProcessor(CamelContext context, Object bean, String beanType, Class<?> beanClass, String ref,
                                         String method, BeanScope scope) throws Exception {
        if (bean == null && ref != null && method != null && (scope == null || scope == BeanScope.Singleton)) {
            Object registered = context.getRegistry().lookupByName(ref);
            MethodHandle call = registered == null ? null : exchangeMethod(registered, method);
            if (call != null) {
                return new DirectCall(call.bindTo(registered).asType(EXCHANGE_TO_VOID), ref + "." + method);
            }
        }
        return camels.createBeanProcessor(context, bean, beanType, beanClass, ref, method, scope);
    }

    /** The bean's only public method of that name, when it is {@code void name(Exchange)} and unannotated; else null. */
    static MethodHandle exchangeMethod(Object bean, String name) {
        List<Method> named = Arrays.stream(bean.getClass().getMethods()).filter(m -> m.getName().equals(name)).toList();
        if (named.size() != 1) {
            return null; // none (Camel says so), or overloads: Camel's choice among them
        }
        Method method = named.get(0);
        if (method.getReturnType() != void.class || method.getParameterCount() != 1
                || method.getParameterTypes()[0] != Exchange.class || method.getAnnotations().length > 0
                || Modifier.isStatic(method.getModifiers())) {
            return null;
        }
        try {
            return MethodHandles.publicLookup().unreflect(method);
        } catch (IllegalAccessException notPublic) {
            return null; // a class that is not public (Camel's reflection calls it as before)
        }
    }

    /** One {@code bean:} step's call. */
    private static final class DirectCall implements Processor {
        private final MethodHandle call;
        private final String name;

        DirectCall(MethodHandle call, String name) {
            this.call = call;
            this.name = name;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            // as Camel's bean processor does: each method reads a spooled body from its beginning
            MessageHelper.resetStreamCache(exchange.getIn());
            try {
                call.invokeExact(exchange);
            } catch (Exception e) {
                throw e;
            } catch (Throwable error) {
                // as Camel's bean processor does: an Error thrown out of a processor would leave the route
                // going on as if the step had succeeded; on the exchange, the error handler sees it
                exchange.setException(error);
            }
        }

        @Override
        public String toString() {
            return "bean[" + name + "]";
        }
    }
}
