import { expect, test } from '@playwright/test';
import { terminal, transcript, type } from './console';

// Step mode is the daemon's state: every test starts with it off.
test.beforeEach(async ({ request }) => {
  await request.post('/api/step/smtp', { data: { enabled: false } });
});

test('hold, edit, release: an RCPT edited while held gets the real server’s answer to the edit', async ({ page }) => {
  await page.goto('/smtp');
  await expect(terminal(page)).toContainText('S: 220 ', { timeout: 20_000 });
  await type(page, 'EHLO student.lab.test\n');
  await expect(terminal(page)).toContainText('S: 250-');
  await type(page, 'MAIL FROM:<student@lab.test>\n');
  await expect(terminal(page)).toContainText('S: 250 ');

  await page.getByLabel('What to hold').selectOption('own');
  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).toBeChecked();
  await type(page, 'RCPT TO:<alice@lab.test>\n');
  await expect(page.getByTestId('held-next')).toContainText('C: RCPT TO:<alice@lab.test>');

  await page.getByRole('button', { name: 'Edit…' }).click();
  const editor = page.getByTestId('held-editor');
  await expect(editor.getByRole('textbox')).toHaveValue('RCPT TO:<alice@lab.test>');
  await editor.getByRole('textbox').fill('RCPT TO:<mallory@elsewhere.example>');
  await editor.getByRole('button', { name: 'Release edited' }).click();
  await expect(editor).toHaveCount(0);
  await expect(terminal(page)).toContainText('C: RCPT TO:<mallory@elsewhere.example>');
  // The real server's answer to the edit is held in turn: a relay refusal, not alice's 250.
  await expect(page.getByTestId('held-next')).toContainText('S: 550 5.7.1');
  await page.getByRole('button', { name: 'Step ▸' }).click();
  await expect(terminal(page)).toContainText('S: 550 5.7.1');
  await expect(transcript(page).getByTestId('edited-badge')).toContainText('was RCPT TO:<alice@lab.test>');

  await page.getByLabel('Step mode').click();
  await expect(page.getByLabel('Step mode')).not.toBeChecked();
});
