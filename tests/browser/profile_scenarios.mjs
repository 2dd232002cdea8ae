// What the researcher page's browser tests do in chromium (tests/browser/test_profile_page.py
// checks what they print; harness.mjs runs them):
//
//   node tests/browser/profile_scenarios.mjs SCENARIO BASE_URL ARTIFACTS_DIR CHROMIUM [ARGS...]
//
// profile ID: the page as it loads, read back from the DOM; phone ID: the same at 375 px wide;
// keyboard ID: tabbing through it and the sign-in dialog; paging ID PAGE_SIZE: the works,
// page after page; flows ID EMAIL PASSWORD: log in, follow, claim, reload; invite ID EMAIL
// PASSWORD NAME: an invitation to a claimed researcher, written before making an account.
import { runScenario } from './harness.mjs';

const ready = (page) => page.locator('main[data-state="ready"], main[data-state="error"]').waitFor();

async function openProfile(page, baseUrl, id, query = '') {
  // The GraphQL requests the page sends, by operation name.
  const operations = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
      operations.push(JSON.parse(request.postData()).operationName);
    }
  });
  const response = await page.goto(`${baseUrl}/researchers/${id}${query}`);
  await ready(page);
  const state = await page.locator('main').getAttribute('data-state');
  if (state !== 'ready') {
    throw new Error(`the page says: ${await page.locator('#status').textContent()}`);
  }
  return { status: response.status(), operations };
}

// Everything the page shows, read from the DOM as a person would read it.
const readProfile = (page) =>
  page.evaluate(() => {
    const text = (selector) => document.querySelector(selector)?.textContent.trim() ?? null;
    const shown = (node) => Boolean(node) && node.getClientRects().length > 0;
    const texts = (selector) =>
      [...document.querySelectorAll(selector)].filter(shown).map((node) => node.textContent.trim());
    return {
      title: document.title,
      name: text('h1'),
      description: text('#description'),
      chips: texts('#identity .chips li'),
      badges: texts('#trust .badges li'),
      counts: Object.fromEntries(
        [...document.querySelectorAll('.counts div')].map((pair) => [
          pair.querySelector('dt').textContent.trim(),
          Number(pair.querySelector('dd').textContent),
        ]),
      ),
      follow: {
        label: text('#follow-label'),
        count: Number(text('#follow-count')),
        pressed: document.querySelector('#follow').getAttribute('aria-pressed'),
      },
      signedInAs: shown(document.querySelector('#signed-in-as')) ? text('#signed-in-as') : null,
      claimButton: texts('#claim-button')[0] ?? null,
      claimNote: text('#claim-note'),
      collaboration: texts('#collaboration-locked')[0] ?? null,
      inviteForm: shown(document.querySelector('#invite')),
      sections: [...document.querySelectorAll('main > section')].filter(shown).map((section) => ({
        id: section.id,
        eyebrow: section.querySelector('.eyebrow').textContent.trim(),
        heading: section.querySelector('h1, h2').textContent.trim(),
      })),
      worksTitle: text('#works-title'),
      works: [...document.querySelectorAll('#work-list > li')].map((item) => ({
        id: item.dataset.id,
        meta: [...item.querySelectorAll('.work-meta span')].map((part) => part.textContent),
        title: item.querySelector('h3').textContent.trim(),
        abstract: item.querySelector('.abstract')?.textContent ?? null,
      })),
      moreWorks: shown(document.querySelector('#more-works')),
      explorerLink: document.querySelector('#open-explorer').getAttribute('href'),
      slice: {
        nodes: [...document.querySelectorAll('#slice-graph a.node')].map((link) => ({
          id: link.dataset.id,
          kind: link.dataset.kind,
          href: link.getAttribute('href'),
        })),
        lines: document.querySelectorAll('#slice-graph line').length,
        legend: texts('#slice-legend li'),
      },
      years: [...document.querySelectorAll('#year-table tbody tr')].map((row) =>
        [...row.cells].map((cell) => Number(cell.textContent)),
      ),
      charts: [...document.querySelectorAll('#year-charts figure')].map((figure) => ({
        caption: figure.querySelector('figcaption').textContent,
        bars: figure.querySelectorAll('rect').length,
      })),
      pageWidth: document.documentElement.scrollWidth,
      viewportWidth: window.innerWidth,
    };
  });

// Pairs of slice labels (and node dots) whose drawn boxes overlap: each label's box is rotated
// as it is drawn, so boxes are compared as rotated rectangles (separating axes).
const sliceOverlaps = (page) =>
  page.evaluate(() => {
    const corners = (shape) => {
      const box = shape.getBBox();
      const matrix = shape.getScreenCTM();
      return [
        [box.x, box.y],
        [box.x + box.width, box.y],
        [box.x + box.width, box.y + box.height],
        [box.x, box.y + box.height],
      ].map(([x, y]) => new DOMPoint(x, y).matrixTransform(matrix));
    };
    const separated = (a, b) =>
      [a, b].some((polygon) =>
        polygon.some((point, index) => {
          const next = polygon[(index + 1) % polygon.length];
          const axis = { x: next.y - point.y, y: point.x - next.x };
          const project = (shape) => shape.map((p) => p.x * axis.x + p.y * axis.y);
          const [pa, pb] = [project(a), project(b)];
          return Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa);
        }),
      );
    const shapes = [...document.querySelectorAll('#slice-graph text, #slice-graph circle')].map(
      (shape) => ({ shape, box: corners(shape) }),
    );
    const overlaps = [];
    shapes.forEach((a, i) => {
      for (const b of shapes.slice(i + 1)) {
        if (a.shape.parentNode === b.shape.parentNode) continue; // a dot and its own label
        if (a.shape.tagName === 'circle' && b.shape.tagName === 'circle') continue;
        if (!separated(a.box, b.box)) {
          overlaps.push([a.shape.textContent || 'dot', b.shape.textContent || 'dot']);
        }
      }
    });
    // The size a label is drawn at on screen: its font size times the drawing's scale.
    const drawnPx = [...document.querySelectorAll('#slice-graph text')].map((label) => {
      const { a: scaleX, b: skew } = label.getScreenCTM();
      return parseFloat(getComputedStyle(label).fontSize) * Math.hypot(scaleX, skew);
    });
    return { labels: drawnPx.length, smallestPx: Math.min(...drawnPx), overlaps };
  });

async function profile(page, { baseUrl, screenshot, args: [id] }) {
  const opened = await openProfile(page, baseUrl, id);
  await screenshot('profile');
  return { ...opened, seen: await readProfile(page), labels: await sliceOverlaps(page) };
}

async function phone(page, { baseUrl, screenshot, args: [id] }) {
  await page.setViewportSize({ width: 375, height: 812 });
  const opened = await openProfile(page, baseUrl, id);
  await screenshot('profile-phone', { fullPage: true });
  return { ...opened, seen: await readProfile(page), labels: await sliceOverlaps(page) };
}

// What has the keyboard focus: its tag, role or type, and its accessible text.
const focused = (page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return {
      tag: active.tagName.toLowerCase(),
      id: active.id || null,
      text: (active.getAttribute('aria-label') || active.textContent || '').trim().slice(0, 80),
      outline: getComputedStyle(active).outlineStyle,
      inDialog: Boolean(active.closest('dialog')),
    };
  });

async function keyboard(page, { baseUrl, args: [id] }) {
  await openProfile(page, baseUrl, id);
  const landmarks = await page.evaluate(() => {
    const named = (node) => {
      const by = node.getAttribute('aria-labelledby');
      return by ? document.getElementById(by)?.textContent.trim() : node.getAttribute('aria-label');
    };
    const controls = [...document.querySelectorAll('input, textarea, select')];
    return {
      lang: document.documentElement.lang,
      banner: document.querySelectorAll('body > header').length,
      main: document.querySelectorAll('main').length,
      navigation: [...document.querySelectorAll('nav')].map(named),
      regions: [...document.querySelectorAll('main > section')].map(named),
      headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => h.tagName.toLowerCase()),
      unlabelledControls: controls.filter((c) => c.labels.length === 0 && !c.ariaLabel).length,
      unnamedDrawings: [...document.querySelectorAll('main svg')].filter(
        (drawing) => !drawing.getAttribute('aria-label'),
      ).length,
    };
  });

  await page.keyboard.press('Tab');
  const first = await focused(page);
  await page.keyboard.press('Enter');
  const tabs = [];
  for (let step = 0; step < 40; step += 1) {
    await page.keyboard.press('Tab');
    tabs.push(await focused(page));
  }

  // The claim button opens the sign-in dialog; Escape closes it and gives the focus back.
  await page.locator('#claim-button').focus();
  await page.keyboard.press('Enter');
  await page.locator('#sign-in-dialog[open]').waitFor();
  const inDialog = await focused(page);
  const why = await page.locator('#sign-in-why').textContent();
  await page.keyboard.press('Escape');
  await page.locator('#sign-in-dialog:not([open])').waitFor({ state: 'attached' });
  const afterEscape = await focused(page);
  return { landmarks, first, hash: new URL(page.url()).hash, tabs, inDialog, why, afterEscape };
}

async function paging(page, { baseUrl, args: [id, size] }) {
  const opened = await openProfile(page, baseUrl, id, `?works=${size}`);
  const pages = [(await readProfile(page)).works.map((work) => work.id)];
  const more = page.locator('#more-works');
  while (await more.isVisible()) {
    const before = pages.flat().length;
    await more.click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('#work-list > li').length > count,
      before,
    );
    const all = (await readProfile(page)).works.map((work) => work.id);
    pages.push(all.slice(before));
    if (pages.length > 50) throw new Error('the works never end');
  }
  const seen = await readProfile(page);
  return { ...opened, pages, seen, focusAfterMore: await focused(page) };
}

async function flows(page, { baseUrl, screenshot, args: [id, email, password] }) {
  await openProfile(page, baseUrl, id);
  const anonymous = await readProfile(page);

  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (8 characters or more)').fill(password);
  await page.locator('#sign-in-submit').click();
  await page.locator('#signed-in-as:not([hidden])').waitFor();
  const signedIn = await readProfile(page);

  await page.locator('#follow').click();
  await page.locator('#follow[aria-pressed="true"]').waitFor();
  const followed = await readProfile(page);

  await page.getByRole('button', { name: 'Claim this author record' }).click();
  await page.locator('#claim-state', { hasText: 'Claim pending' }).waitFor();
  const claimed = await readProfile(page);
  await screenshot('profile-claimed');

  // The page after a reload is what the API now says, not what the page remembered.
  const reloaded = await openProfile(page, baseUrl, id);
  return { anonymous, signedIn, followed, claimed, reloaded: await readProfile(page), ...reloaded };
}

async function invite(page, { baseUrl, screenshot, args: [id, email, password, name] }) {
  await openProfile(page, baseUrl, id);
  const anonymous = await readProfile(page);
  await page.getByLabel('Your invitation').fill('Shall we write about augmentation together?');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await page.locator('#sign-in-dialog[open]').waitFor();
  const why = await page.locator('#sign-in-why').textContent();
  await page.getByRole('button', { name: 'Create an account instead' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password (8 characters or more)').fill(password);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('#invite-note', { hasText: 'Invitation sent' }).waitFor();
  await screenshot('profile-invited');
  return {
    anonymous,
    why,
    note: await page.locator('#invite-note').textContent(),
    message: await page.locator('#invite-message').inputValue(),
    signedInAs: await page.locator('#signed-in-as').textContent(),
  };
}

await runScenario({ profile, phone, keyboard, paging, flows, invite });
