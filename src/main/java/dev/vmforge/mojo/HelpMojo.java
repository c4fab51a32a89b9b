package dev.vmforge.mojo;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists every goal of the plugin with its parameters, their user properties and defaults.
 * {@code -Dgoal=build-image} shows one goal.
 */
@Mojo(name = "help", requiresProject = false, threadSafe = true)
public class HelpMojo extends AbstractMojo {
    /** Show only this goal. */
    @Parameter(property = "goal")
    private String goal;

    @Override
    public void execute() throws MojoExecutionException {
        Document descriptor = readDescriptor();
        StringBuilder out = new StringBuilder();
        Element plugin = descriptor.getDocumentElement();
        out.append(text(plugin, "name")).append(' ').append(text(plugin, "version")).append('\n')
                .append(text(plugin, "description")).append("\n\n")
                .append("Goals (prefix '").append(text(plugin, "goalPrefix")).append("'):\n");
        for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
            String name = text(mojo, "goal");
            if (goal != null && !goal.equals(name)) {
                continue;
            }
            out.append("\nvm:").append(name).append('\n').append(indent(clean(text(mojo, "description")), "  "))
                    .append('\n');
            appendParameters(out, mojo);
        }
        getLog().info(out.toString());
    }

    private static void appendParameters(StringBuilder out, Element mojo) {
        Element configuration = child(mojo, "configuration");
        for (Element parameter : children(child(mojo, "parameters"), "parameter")) {
            if (!"true".equals(text(parameter, "editable"))) {
                continue;
            }
            String name = text(parameter, "name");
            out.append("  <").append(name).append('>');
            Element config = configuration == null ? null : child(configuration, name);
            if (config != null) {
                String expression = config.getTextContent().trim();
                if (expression.startsWith("${") && expression.endsWith("}")) {
                    out.append("  property: ").append(expression, 2, expression.length() - 1);
                }
                if (config.hasAttribute("default-value")) {
                    out.append("  default: ").append(config.getAttribute("default-value"));
                }
            }
            out.append('\n').append(indent(clean(text(parameter, "description")), "      ")).append('\n');
        }
    }

    private Document readDescriptor() throws MojoExecutionException {
        try (InputStream in = HelpMojo.class.getResourceAsStream("/META-INF/maven/plugin.xml")) {
            if (in == null) {
                throw new MojoExecutionException("the plugin descriptor META-INF/maven/plugin.xml is missing from the jar");
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(in);
        } catch (MojoExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new MojoExecutionException("cannot read the plugin descriptor", e);
        }
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                result.add(e);
            }
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? "" : e.getTextContent().trim();
    }

    /** Javadoc HTML and entities made readable on a terminal. */
    private static String clean(String description) {
        return description.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&").replaceAll("\\s+", " ").trim();
    }

    private static String indent(String text, String prefix) {
        StringBuilder out = new StringBuilder();
        int column = 0;
        out.append(prefix);
        for (String word : text.split(" ")) {
            if (column > 0 && column + word.length() > 90) {
                out.append('\n').append(prefix);
                column = 0;
            }
            if (column > 0) {
                out.append(' ');
            }
            out.append(word);
            column += word.length() + 1;
        }
        return out.toString();
    }
}
