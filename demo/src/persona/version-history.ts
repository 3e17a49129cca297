import type { PersonaVersion } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { h, uniqueId } from '../dom.js';
import { formatDateTime } from '../format.js';
import { errorNotice } from '../studio-context.js';

export interface VersionHistory {
  readonly element: HTMLElement;
  refresh(): Promise<void>;
}

/**
 * A persona's saved versions, newest first. Every save makes a version; an older one can be
 * loaded into the editor and saved again to make it current.
 */
export function versionHistory(
  api: AdminApi,
  personaId: string,
  load: (version: PersonaVersion) => void,
): VersionHistory {
  const heading = h('h3', { id: uniqueId('versions') }, 'Version history');
  const content = h('div', {}, h('p', {}, 'Loading…'));
  const element = h(
    'section',
    { class: 'versions', 'aria-labelledby': heading.id },
    heading,
    content,
  );

  const render = (versions: readonly PersonaVersion[]) => {
    const current = versions.at(-1)?.version;
    const items = [...versions].reverse().map((version) => {
      const label = `Version ${version.version}`;
      const item = h(
        'li',
        {},
        h('strong', {}, label),
        ` · ${formatDateTime(version.createdAt)} · ${version.persona.name}`,
        version.version === current ? ' (current)' : null,
      );
      if (version.version !== current) {
        const button = h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            'aria-label': `Load into the editor: ${label}`,
          },
          'Load into the editor',
        );
        button.addEventListener('click', () => load(version));
        item.append(' ', button);
      }
      return item;
    });
    content.replaceChildren(h('ol', { class: 'version-list', reversed: true }, ...items));
  };

  const refresh = async () => {
    try {
      render(await api.personaVersions(personaId));
    } catch (error) {
      content.replaceChildren(errorNotice(error));
    }
  };
  void refresh();
  return { element, refresh };
}
