/** A module `npm run build` generates (validators), or undefined before the first build (tests under tsx). */
export async function importGenerated<T>(url: URL): Promise<T | undefined> {
  try {
    return (await import(url.href)) as T;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
