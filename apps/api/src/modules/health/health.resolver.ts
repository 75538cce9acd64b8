import { Query, Resolver } from '@nestjs/graphql';

@Resolver()
export class HealthResolver {
  @Query(() => String, { description: 'Always "ok" when the API answers' })
  health(): string {
    return 'ok';
  }
}
