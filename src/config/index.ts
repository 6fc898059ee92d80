/** Reading and validating playbooks against the schemas, with file:line:column for every problem. */
export { loadPlaybook, parsePlaybookText, playbookFromYaml, playbookProblems, checkPlaybookTree } from './load-playbook.js';
export { readYamlFile, parseYamlText, pointerToPath, pathToPointer, type YamlFile } from './yaml-file.js';
export { validateYaml, validateValue, compiledSchema, playbookVocabulary, schemasDir, type SchemaName, type PlaybookVocabulary } from './schema.js';
export { defaultTaskName } from './build-playbook.js';
export { readTaskFile } from './build-tasks.js';
export { resolveIncluded, placeOf } from './read-files.js';
