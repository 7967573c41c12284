import { expect, type Locator, type Page } from '@playwright/test';

/** « Mes messages » on the workstation (issue 7): inbox, conversation, reply box, outbox. */
export class MessagesPage {
  constructor(readonly page: Page) {}

  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Menu principal' });
  }

  /** The nav entry « Mes messages » (its badge counts unread conversations). */
  navEntry(): Locator {
    return this.nav.getByRole('button', { name: /Mes messages/ });
  }

  unreadBadge(): Locator {
    return this.nav.getByTestId('messages-unread');
  }

  async open(): Promise<void> {
    await this.navEntry().click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Mes messages' })).toBeVisible();
  }

  inboxRows(): Locator {
    return this.page.getByTestId('inbox-row');
  }

  inboxRow(text: string): Locator {
    return this.inboxRows().filter({ hasText: text });
  }

  async openConversation(text: string): Promise<void> {
    await this.inboxRow(text).first().getByRole('button').click();
    await expect(this.page.getByTestId('conversation')).toBeVisible();
  }

  subjectField(): Locator {
    return this.page.getByTestId('message-subject');
  }

  bodyField(): Locator {
    return this.page.getByTestId('message-body');
  }

  async send(body: string): Promise<void> {
    await this.bodyField().fill(body);
    await this.page.getByTestId('message-send').click();
  }

  messages(): Locator {
    return this.page.getByTestId('message');
  }

  message(text: string): Locator {
    return this.messages().filter({ hasText: text });
  }

  pendingMarks(): Locator {
    return this.page.getByTestId('message-pending');
  }

  cannotWrite(): Locator {
    return this.page.getByTestId('cannot-write');
  }
}
