package dev.claudebackup.files;

import java.util.List;

/** What the projects branch will put in exchange property projectFiles: the files written for a project. */
public class ProjectFilesForTest {

    public List<String> paths(String projectJson) {
        String folder = projectJson.substring(0, projectJson.lastIndexOf('/'));
        return List.of(projectJson, folder + "/docs.json", folder + "/files.json");
    }
}
