import type {
  Campaign,
  CampaignAction,
  CampaignContact,
  CampaignInput,
  ScheduledCall,
  ScheduledCallInput,
} from '@parley/contracts';
import { TextBody, type AdminApi } from '../admin-api.js';

/** `POST /v1/campaigns/:id/contacts`'s answer: numbers already in the campaign are not added. */
export interface ContactsAdded {
  added: number;
  duplicates: number;
}

function campaignPath(id: string, rest = ''): string {
  return `/v1/campaigns/${encodeURIComponent(id)}${rest}`;
}

/** Outbound campaigns and scheduled calls, through the admin API (`/v1/campaigns`…). */
export class CampaignApi {
  constructor(private readonly api: AdminApi) {}

  /** Every campaign, newest first, with its statistics. */
  async list(): Promise<Campaign[]> {
    return (await this.api.request<{ data: Campaign[] }>('GET', '/v1/campaigns')).data;
  }

  get(id: string): Promise<Campaign> {
    return this.api.request('GET', campaignPath(id));
  }

  /** A draft: nothing is dialled until it is started. */
  create(input: CampaignInput): Promise<Campaign> {
    return this.api.request('POST', '/v1/campaigns', input);
  }

  async contacts(id: string): Promise<CampaignContact[]> {
    const path = campaignPath(id, '/contacts');
    return (await this.api.request<{ data: CampaignContact[] }>('GET', path)).data;
  }

  /** Contacts from a CSV file's text, read by the server (header: number or phone, name, …). */
  addContactsCsv(id: string, csv: string): Promise<ContactsAdded> {
    return this.api.request('POST', campaignPath(id, '/contacts'), new TextBody('text/csv', csv));
  }

  /** Starts, pauses, resumes or cancels the campaign; answers it as it is now. */
  act(id: string, action: CampaignAction): Promise<Campaign> {
    return this.api.request('POST', campaignPath(id, `/${action}`));
  }

  /** Scheduled calls, the next due first, then those done. */
  async scheduledCalls(): Promise<ScheduledCall[]> {
    return (await this.api.request<{ data: ScheduledCall[] }>('GET', '/v1/scheduled-calls')).data;
  }

  scheduleCall(input: ScheduledCallInput): Promise<ScheduledCall> {
    return this.api.request('POST', '/v1/scheduled-calls', input);
  }

  cancelScheduledCall(id: string): Promise<ScheduledCall> {
    return this.api.request('DELETE', `/v1/scheduled-calls/${encodeURIComponent(id)}`);
  }
}
