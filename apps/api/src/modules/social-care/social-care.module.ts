import { Module } from '@nestjs/common';
import { SocialCareAlerts } from './social-care-alerts.js';
import { SocialCareRepository } from './social-care.repository.js';
import { SocialCareResolver } from './social-care.resolver.js';
import { SocialCareService } from './social-care.service.js';

@Module({
  providers: [SocialCareRepository, SocialCareResolver, SocialCareService, SocialCareAlerts],
})
export class SocialCareModule {}
