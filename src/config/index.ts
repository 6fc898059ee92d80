/** Reading and validating playbooks (and telling playbooks from inventories for `remedy validate`). */
export { loadPlaybook, parsePlaybookText, playbookFromYaml, playbookProblems } from './load-playbook.js';
export { validateFile, detectKind, looksLikeIniInventory, type FileKind, type FileValidation } from './validate.js';
export { readYamlFile, parseYamlText, pointerToPath, pathToPointer, type YamlFile } from './yaml-file.js';
export { validateYaml, validateValue, compiledSchema, playbookVocabulary, schemasDir, type SchemaName, type PlaybookVocabulary } from './schema.js';
export { defaultTaskName } from './build-playbook.js';
