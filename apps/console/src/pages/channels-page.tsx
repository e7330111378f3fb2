import { Route, Switch } from 'wouter';
import { ChannelDetail } from './channels/channel-detail';
import { ChannelList } from './channels/channel-list';
import { CreateChannel } from './channels/create-channel';

/** Admin: upstream channels (list and create), and each channel's page (edit, test, health). */
export function ChannelsPage() {
  return (
    <Switch>
      <Route path="/channels/:id">{(params) => <ChannelDetail key={params.id} id={params.id} />}</Route>
      <Route>
        <ChannelList />
        <CreateChannel />
      </Route>
    </Switch>
  );
}
