"""Crisis signals by kind (issue 15), for each kind of miss and false alarm the fresh sets found
(``crisis_fresh3.tsv``, ``crisis_fresh4.tsv``). The texts here are new wordings of those kinds, not
the fresh sets' own texts, and are read by the rules alone (``learned=False``): the learned second
reading must not be what catches them."""

import csv
from pathlib import Path

import pytest

from kesu.insights.crisis import find_signals, read

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        # safety: brakes told by how the pedal felt, with what followed
        ("safety", "高架下来那段刹车软得像踩在海绵上，一直到底车还在走，我拉手刹才停住"),
        ("safety", "踩刹车跟踩在铁板上一样根本踩不下去，车直接顶到了前面的出租车"),
        # safety: a stuck throttle, a car moving by itself
        ("safety", "油门卡住回不来，车速一直往上涨，我挂空挡才停下来"),
        ("safety", "等红灯的时候车子自己往前溜了出去，怼到了前面的车"),
        ("safety", "车子在高速上无缘无故急刹了一脚，后面的车差一点就撞上来"),
        ("safety", "过弯的时候车尾一甩整车打横，差点冲出护栏"),
        # safety: fire and smoke in new words
        ("safety", "停在楼下的车半夜着了起来，第二天只剩个架子"),
        ("safety", "我的车停在路边自然了，消防来了才扑灭"),
        ("safety", "中控台后面冒出白烟，一股烧塑料的焦味，我们赶紧停车下来"),
        # safety: trapped, near death told counterfactually
        ("safety", "孩子被锁在车里出不来，门怎么都打不开，最后砸了车窗才抱出来"),
        ("safety", "转向突然没了，要不是我反应快，一家人就交代在那了"),
        # injury: a shock, something falling on a person
        ("injury", "拔充电枪的时候被电了一下，整只手都麻了"),
        ("injury", "尾门突然落下来砸在我头上，起了个大包"),
        # scenes at the dealer
        ("violence", "我已经约了几个车主，明天一起去你们店里讨个说法"),
        ("violence", "今晚我就在你们展厅打地铺，不给退车不走"),
        ("violence", "你们那个经理我已经打听到他家住哪了"),
        ("violence", "我进店问了一句，你们保安就把我往门外拽"),
        ("violence", "我把车横在你们出口，看你们的车怎么出去"),
        ("violence", "十几个车主都到了你们店里，你们经理躲着不见"),
        # media, social, regulators, legal phrased indirectly
        ("media", "再不处理我就去找报纸，让全城的人都看看"),
        ("media", "那咱们就新闻上见"),
        ("social", "录音我都留着，再不解决就传到网上去"),
        ("authority", "我在市长热线上留言了，把你们拖着不修的事写清楚了"),
        ("authority", "店里解决不了，我已经投诉到厂家总部了"),
        ("authority", "我找到了你们品牌的大区，他们说三天内回复"),
        ("legal", "起诉再麻烦我也要告，材料已经交到法院了"),
        # told formally, or with a sensor that stayed silent
        ("safety", "车辆在正常行驶中转向助力突然丧失，所幸后车及时避让"),
        ("safety", "倒车雷达一声都没响，车直接撞上了后面的柱子"),
        ("injury", "座椅调节杆弹起来打到我女儿额头，肿了一块"),
        ("violence", "明天全家都去你们店里，看谁敢把我们赶出去"),
        ("social", "我每天都会在抖音上更新这件事的进展"),
        # the kinds crisis_fresh7 missed, in new words: a spongy pedal and a rear-end told as 追了;
        # a parked car alight with a neighbour who only raised the alarm; cruise control that
        # would not let go; a fall on the dealer's wet floor; fumes from the vents and a hospital;
        # several households coming together and not leaving; a relative's job, then the
        # customer's own case filed (立案 with no crime is a lawsuit)
        ("safety", "下坡时刹车一脚下去像踩在棉花上，结果追了前面一辆电动车"),
        ("safety", "车停在院子里半夜自己着了，邻居敲门喊的我，消防员来了才扑灭"),
        ("safety", "自适应巡航怎么按都取消不了，车速一路飙到一百三，最后挂空挡拉手刹才停下"),
        ("injury", "你们展厅的地面刚拖完也没放警示牌，我妈一进门就滑倒了，手腕骨折"),
        ("injury", "出风口吹出来一股怪味，老人闻了头晕恶心，直接送了急诊"),
        ("violence", "我们小区七八户都是在你家买的车，周六一起去你们店里讨个说法"),
        ("violence", "今天拿不出解决方案，我们谁也不走"),
        ("legal", "我小舅子在律所上班，他看了说是合同欺诈，我下周就去法院起诉"),
        ("legal", "合同欺诈的证据我都整理好了，下周去立案"),
        # the kinds crisis_fresh8 missed, in new words: exhaust fumes in the cabin making people ill;
        # a gearbox that would not engage and the car rolling back; a pet locked in by the car with
        # the app not opening it; a staff member relaying relatives brought to the store; petrol
        # brought as a threat; a relative at a paper who already has the customer's materials; a
        # video made about it; undercover filming at the store; an owners' group coming together;
        # the brand tagged on a platform; a notary recording evidence; and a new event or threat
        # after a settled one
        ("safety", "跑高速的时候车里一股尾气味，后排两个孩子都吐了，查出来是排气管漏了往车厢里钻"),
        ("safety", "坡上起步时变速箱没反应，整车往后倒退了一米多，吓得我赶紧拉手刹"),
        ("safety", "我家猫被锁在车里了，车子自动上锁，手机APP打不开门，快来人帮忙"),
        ("violence", "那位车主刚才打电话来，说周末要带上老家二十来个亲戚到店里要个说法"),
        ("violence", "他说再不赔就拎着一桶汽油到你们展厅，听语气不像开玩笑"),
        ("media", "我堂姐在报社当编辑，我已经把维修记录和照片都发给她了"),
        ("social", "我是做汽车测评号的，这事我会剪一期视频好好讲讲"),
        ("media", "今天店里来了个记者暗访，把售后乱收费的过程全录下来了"),
        ("social", "我们车友群两百多号人都在转你们店的事，准备周末一起过来"),
        ("social", "我已经在微博上圈了你们的官方账号"),
        ("legal", "我请了公证员到店里，把车漆的情况当场做了证据保全"),
        ("safety", "去年冒过一次烟，换了线束后没事了，可今天高速上又冒烟了"),
        ("legal", "上次找律师的事已经解决了，但是这次你们再不给个说法我就起诉"),
        # the kinds crisis_fresh9 missed, in new words: white smoke from under an EV while charging;
        # fuel fumes making people ill; a suspension part snapping; a live stream from the showroom;
        # things pushed to the floor; owners with a shared fault brought together; a relative at a
        # paper with the materials; a creator featuring the customer's case; the city hotline; an
        # appraisal obtained as evidence
        ("safety", "停车场充电时车屁股下面冒出一股白烟，我赶紧拔了充电枪"),
        ("safety", "车里一股很重的柴油味，开了半小时全家都头疼恶心，孩子在后座吐了"),
        ("safety", "倒车出库的时候咔嚓一声，左后的控制臂断成两截，车轮直接歪了"),
        ("violence", "我现在就在你们展厅开着直播，已经有两百多个网友在线看着"),
        ("violence", "他一气之下把你们前台的打印机推到了地上"),
        ("violence", "我叫了车主俱乐部二十多个同款车主，大家刹车异响都一样，周六一起来店里"),
        ("media", "我姑父在都市报当编辑，录音和发票我都已经发给他了，他准备写稿"),
        ("media", "一个三十万粉丝的汽车博主说想拿我这事做一期视频，你们自己看着办"),
        ("authority", "政务热线我昨天已经打过了，他们说会转给区里处理"),
        ("legal", "我把车送去司法鉴定所做了鉴定，鉴定结论是事故修复车"),
        # the kinds crisis_fresh11 missed, in new words: a child shut in the car; fuel dripping; a
        # charging port melted; a wheel come off; a spin after a blowout; glass smashed and staff
        # shut in at the dealer; a post spreading with its views counted; the platform's nickname;
        # a TV programme's director; the paper's story coming; a complaint to the court, colloquial
        ("safety", "我家老人被锁在车里了 车门怎么都打不开 你们赶紧派人来"),
        ("safety", "停了一晚上 车屁股底下滴了一滩汽油 整个车库都是油味"),
        ("safety", "充电枪那块插头都化了 拔都拔不出来"),
        ("safety", "刚换的轮子 开了二十公里右后轮在路口脱了 直接滚到人行道上"),
        ("safety", "高速上前轮胎爆了 车转了两圈才停下"),
        ("violence", "那人拿锤子把你们展车的前挡敲碎了"),
        ("violence", "你们店长被几个车主围在办公室里出不来"),
        ("social", "我发的视频已经三万多播放了，评论里都在问是哪家店"),
        ("social", "我昨晚在小红薯上把你们的事全写了"),
        ("media", "公共频道的编导说下周过来拍一期"),
        ("media", "我小姨在晚报，材料她已经拿走了，下周见报"),
        ("legal", "状子我已经写好了，明天就去法院递"),
        # the kinds crisis_fresh13 missed, in new words: the car not reacting (反应都没有); a
        # window closing on a child; airbags that did not come out; a wheel gone with a bang; fuel
        # in a puddle; the car locking itself with a child inside; sitting in until the car is
        # taken back, staying the night; owners counted with 位; the programme asking for the
        # materials; a friend at a paper coming to write it up; a post pinned; a ministry written
        # to; punitive damages
        ("safety", "自动刹车那个功能 行人都到跟前了它一点反应都没有 我自己猛踩才停住"),
        ("injury", "后排车窗升上去的时候把我女儿的手指夹住了，碰到了也不往回退"),
        ("safety", "侧面被撞了，车门都凹进去了，侧气囊一个都没出来"),
        ("safety", "开到九十的时候右前那个轮子突然就没了，车直接栽到路边"),
        ("safety", "停车位底下一滩汽油，闻着头都晕，我不敢打火"),
        ("safety", "下车拿东西的功夫车自己落锁了，宝宝还在后座上，钥匙也在里面"),
        ("violence", "客户已在展厅坐了一整天，说不给换车就不离开，晚上打算睡在店里"),
        ("violence", "我们二十位同款车主商定周末集体到店，请你们总经理出面"),
        ("media", "帮忙栏目的编导要了我的维修单和视频，说下周来店里"),
        ("media", "我同学在日报跑社会新闻，他说这事值得写一篇"),
        ("social", "车友圈已经置顶了，维修单和聊天记录我全放上去了"),
        ("authority", "给工信部写的信已经有回执了，说会转给厂家"),
        ("legal", "咨询过了，隐瞒事故车可以主张退一赔三，我准备开干了"),
        # the kinds crisis_fresh14 missed, in new words: a stall told as 灭火 on a fast road; a door
        # or the bonnet opening on the road; glass bursting; a battery swelling; lights out on a
        # dark road; a dare to staff with a knife shown; lying on the floor with a crowd filming;
        # a news outlet calling the dealer; a bureau calling for a written account
        ("safety", "快速路上开着开着车子突然灭火了，怎么都打不着"),
        ("safety", "高架上后备箱自己弹开了，东西掉了一路"),
        ("safety", "开到一半引擎盖整个翻起来拍在玻璃上，啥也看不见"),
        ("safety", "在三环上跑着天窗砰的一声碎了"),
        ("safety", "电池包下面鼓了个包，仪表报故障，一股烧焦味"),
        ("safety", "省道上大灯突然全灭了，黑灯瞎火开了好长一段"),
        ("violence", "他在电话里跟顾问说有种你出来试试，还说带着刀"),
        ("violence", "一个大爷躺在展厅地上不起来，围了一圈人在拍"),
        ("media", "刚才有个自称晚报记者的人打电话问我们店卖没卖过事故车"),
        ("authority", "市场局来函，要求我们三日内书面说明这起投诉的处理经过"),
        # the kinds crisis_fresh15 and crisis_fresh16 missed, in new words: a car rolling away in
        # P; an axle or a driveshaft breaking; an airbag going off by itself, far from the word;
        # brought to a stop by hand; a tyre bursting with a bang; no slowing down; power gone
        # overtaking; cruise control that would not let go; a stall in a tunnel told at length;
        # the car starting by itself; the bonnet named otherwise; a burn from a seat heater
        ("safety", "停在小区坡道上挂的P档，人刚下车车子自己往下溜，撞上了前面的电动车"),
        ("safety", "刚过了个坑，咔一声传动轴断了，车直接趴在路中间"),
        ("safety", "主驾的安全气囊早上热车等着的时候自己弹出来了"),
        ("safety", "方向突然卡死打不动，我只能一点点刹停在应急车道"),
        ("safety", "跑着跑着右前胎嘭的一声，车往左窜了半条道"),
        ("safety", "自适应巡航跟车前车都停了它一点都不减，吓得我猛踩刹车"),
        ("safety", "超车的时候一下没劲了，对面来车差点撞上"),
        ("safety", "定速巡航按了取消没反应，一直保持一百在跑"),
        ("safety", "隧道里开着开着仪表一闪车就熄火了，后面车排了一串"),
        ("safety", "早上发现车在车库里自己打着火了，没人碰过钥匙"),
        ("safety", "跑高速的时候前机盖弹起来糊在挡风玻璃上"),
        ("injury", "座椅加热开了二十分钟，孩子腿上烫出了水泡"),
        # the kinds crisis_fresh18 and crisis_fresh20 missed, in new words: a person knocked down
        # by a car on the premises; an injury named by its diagnosis; a crowd at the door; a
        # sheet with words held up; a reporter or an editor asking the dealer to respond; a radio
        # show reading out the case; a law firm instructed; a regulator named by what it does;
        # a bureau's section calling; stopped just short of the car ahead; a creator coming to film
        ("injury", "试驾车倒库的时候把门口等车的阿姨刮倒了，人坐在地上起不来"),
        ("injury", "保养时顾问把引擎盖放下来砸了我手，医院诊断为指骨骨裂"),
        ("violence", "店门口聚集了十几个同款车主，说今天不给答复就不散"),
        ("violence", "五六个人在展厅外面举着床单，上面用红漆写着退车两个字"),
        ("media", "这里是都市频道的编导，有车主反映贵店维修质量问题，想请贵店做个回应"),
        ("media", "交通广播里主持人把我的事讲了一遍，还报了你们店名"),
        ("legal", "我已经委托了律师事务所，接下来有事和他们谈"),
        ("authority", "我下午去了区里管市场的那个局，材料都交了"),
        ("authority", "市交通运输局维修管理科来电，要我们说明这台车的维修过程"),
        ("safety", "踩了刹车车根本不减速，停下来离前车只有十公分"),
        ("media", "我朋友是做汽车测评的，二十多万粉丝，周末过来拍，专门讲你们这个变速箱"),
        # crisis_fresh22's kinds (short texts), in new words: the floor filled by owners dressed
        # alike; a post tagging the brand with its shares counted; a stream to the customer's
        # followers about the dealer; a report filed on a regulator's site; a bureau named by trade
        ("violence", "三十来个车主穿着统一的黄马甲到店，休息区坐满了"),
        ("social", "抖音已艾特品牌总部，转发两千多"),
        ("social", "明天开视频跟大家聊聊你们是怎么糊弄我的"),
        ("authority", "召回中心的网上报告我昨晚填了，回执截图给你们"),
        ("authority", "区商务局我也投了，等他们来查"),
        # crisis_fresh21's (calls written as turns) and crisis_fresh23's (long letters) kinds, in
        # new words: a stream tonight about the dealer; the customer's post spreading, told a
        # turn later; a relative lawyer coming along; a crash told a turn before the injury; a
        # fall on a floor just mopped with no sign; a law firm instructed with an article cited
        ("social", "我快手有二十万粉丝。坐席：您好。客户：明晚开播，就说说你们怎么糊弄人的"),
        ("social", "客户：我前天发的那条视频。坐席：请问是？客户：已经转了三千多了，评论都在骂你们"),
        ("legal", "我姐夫是律师。坐席：女士您别急。客户：他明天陪我过去，看你们怎么跟他解释"),
        (
            "injury",
            "客户：倒车的时候车自己往后窜撞上柱子了。坐席：人没事吧？客户：我老公腰扭伤了，在医院拍片",
        ),
        ("injury", "致贵店：我父亲在贵店休息区因地面刚拖过又没放警示牌滑倒，左腿骨折住院"),
        ("legal", "本人已委托律师，依据三包规定第二十条要求退车，请贵店五日内书面回复"),
        # crisis_fresh24's (staff work groups) and crisis_fresh25's (rural voice-to-text) kinds,
        # in new words: a child hurt on the play area; a TV crew coming to film; a reporter adding
        # staff on WeChat to ask; traffic police asking for the repair records; a county account
        # with its reads counted; a stream from across the road; 12315 in Chinese numerals
        ("injury", "@店总 紧急 儿童游乐区有个小孩从滑梯上摔下来了，嘴唇磕破流血，家长很激动"),
        ("media", "区域群：昨天那位客户上了电视台的帮忙节目，栏目组说后天要来店里拍"),
        ("media", "有个自称晚报记者的加了我微信，问我们是不是把试驾车当新车卖"),
        ("authority", "交警大队打电话来，说要调那台车上个月换刹车片的维修记录做鉴定"),
        ("social", "俺闺女把这事写了发在镇上的公众号 阅读都两万了 留言都在说你们店"),
        ("social", "我在你们店对面视频号直播了一下午 说的就是这个车"),
        ("authority", "一二三一五俺已经打过了 人家说会找你们"),
        # crisis_fresh27's (social-media voices) and crisis_fresh28's (800-centre tickets) kinds,
        # in new words: a brake failure told "那会儿"; a banner with its accusation quoted and
        # people taking photos; sitting on the floor refusing to leave; staying on with guards
        # called; streaming from the service hall; a paper's deadline; a media hotline's transfer;
        # the speed climbing by itself; a foot run over; a fall on a wet floor with 120 taking
        # the customer away
        ("safety", "上坡那会儿刹车踩到底都不减速，拉了手刹才停下来，差点撞上前面的车"),
        ("violence", "客户在展厅拉横幅“某某店欺诈消费者”，好多人在拍照"),
        ("violence", "车主坐在交车区地上不肯走，说不退款就不走"),
        ("violence", "现场：客户和家属六人滞留客休区，保安介入"),
        ("violence", "客户正在售后大厅开快手直播，边播边骂，在线一千多人"),
        ("media", "晚报记者致电800，要求就刹车异响一事给出官方回应，今晚截稿"),
        ("media", "来源：媒体（都市频道新闻热线转入）｜诉求：退车"),
        ("safety", "诉求：退车｜现象：自适应巡航时车速自行升至130，踩刹车才解除"),
        ("injury", "车主下车后车辆后溜，左脚被前轮碾压，已送医"),
        ("injury", "接待备注：客户在洗车区积水处滑倒，120已接走"),
        # crisis_fresh29's (accidents and claims) and crisis_fresh30's (professional drivers)
        # kinds, in new words: a part falling on a customer's shoulder; a fight in the workshop;
        # a programme's editor asking for an interview; a stream with its viewers counted; the
        # customer's post on a hot list; a case passed to the police; a door knocking someone
        # down; a manager shut in by drivers; screenshots posted and spreading
        ("injury", "车间里一块没固定的车门掉下来，砸中客户左肩，已经去医院拍片了"),
        ("violence", "保险公司的人和我们的师傅在车间吵着吵着动了手，车主全程在录"),
        ("media", "您好，我是电视台《帮忙》栏目的编导。有车主反映贵店把翻新车当新车卖，想约负责人做个采访"),
        ("violence", "我现在就在你们店里直播，直播间三千多人在看，你当着镜头说清楚"),
        ("social", "易车上我的帖子上热榜了，你们自己去看评论"),
        ("authority", "我司已将贵店虚假理赔的线索移交公安，请配合调查"),
        ("injury", "侧滑门突然往回关，把下车的乘客撞倒了，老人手腕摔裂住院了"),
        ("violence", "十几个司机把服务经理堵在办公室，不签字不让走"),
        ("social", "我把你们的维修单和聊天记录全发了车友群，现在好几个群都在传"),
        # the kinds crisis_fresh32 to 38 missed, in new words: a crowd that will not leave until
        # it sees the boss; the dealer's door vandalised; a car sliding off the lift onto someone;
        # a post with owners of the same car joining in; a consumer programme sending a reporter;
        # someone claiming to be from a paper taking photos; a threat to slap staff; an airbag
        # that went off by itself; a reporter checking a tip; a timed post; the family posting
        ("violence", "一群网约车司机把售后前台围得水泄不通，说今天见不到老板就不走"),
        ("violence", "今早来上班发现展厅玻璃门被人泼了油漆，还写着黑店两个字"),
        ("injury", "车从举升机上滑下来砸到了旁边等车的客户，已经叫了120"),
        ("social", "我发在小红书的笔记点赞过万了，底下好多同款车主跟帖说也漏水"),
        ("media", "我已经给《消费主张》栏目投稿了，编辑说会派记者来核实"),
        ("media", "有个自称都市报的人在展厅拍照，问发动机烧机油的事"),
        ("violence", "再让我看到那个顾问甩脸色，我当面扇他"),
        ("safety", "停在小区里，气囊自己弹出来了，没有任何碰撞"),
        ("media", "你好，我是晚报记者，有读者爆料说贵店售后推脱不处理，想核实一下"),
        ("social", "视频剪好了，明晚八点准时发抖音，你们看着办"),
        ("social", "你们再不给答复，我女儿就要发朋友圈发微博了"),
        # crisis_fresh40 and 41's kinds in new words: a neighbour reporting for the owner; a fall
        # on a wet floor told as "our" lounge; the workshop door blocked; the owner's posts told
        # by someone else; phantom braking with nothing ahead; a limb caught by a seat; 110 called
        ("safety", "隔壁大姐来店说，车主出差了托她来报一声，那台车昨晚在楼下自己冒烟了"),
        ("injury", "老人家上周在我们休息区，地面刚拖完没摆提示牌，摔了一跤手腕骨折"),
        ("violence", "车主带了几个人把车间卷帘门堵了，说今天一台车也别想开走"),
        ("social", "车主在业主群和朋友圈都发了，说我们换的是假机油，已经传开了"),
        ("safety", "前面明明没车，开着辅助驾驶它突然一脚急刹，后车差点怼上来"),
        ("injury", "座椅突然往后一滑，把我小腿卡在门框上，医院说是软组织挫伤"),
        ("authority", "110我已经打了，你们扣着我的车钥匙不给"),
        # crisis_fresh43 and 44's kinds in new words: airbags bursting out in a light scrape; a
        # test drive knocking an old man off his tricycle; a long post liked by many
        ("safety", "倒车时跟柱子轻轻蹭了一下，方向盘里的气囊嘭地炸出来了"),
        ("injury", "试驾的客户超车时跟电动三轮剐蹭，三轮上的老人摔下来骨折了"),
        ("social", "他昨晚在朋友圈发了一篇长文骂我们，一堆老板点赞转发"),
        # crisis_fresh45 and 46's kinds in new words: the family's car, now, brought to the dealer; a
        # test drive knocking a rider down; a mothers' group passing it on; a post that makes
        # buyers hold back; 12315 spelled out
        ("safety", "我妈今早开那台车去菜场，刹车突然踩不下去，差点撞到人，车现在停在路边"),
        ("injury", "试驾车在路口跟一辆电动车刮上了，骑车的大爷倒地，手肘擦破出血"),
        ("social", "我在家长群里说了这事，现在好几个群都在转你们店的名字"),
        ("social", "朋友圈发了，好几个本来要去你们那提车的同事现在都在观望"),
        ("authority", "我已经打了那个一二三幺五，人家说会联系你们"),
        # crisis_fresh47 and 48's kinds in new words: a creator's video naming this dealer and
        # spreading; our customer telling us through a group; a sit-in until a written answer; an
        # ultimatum with a comma before the post; a court date
        ("social", "抖音上有个博主昨晚发了条视频，说我们店卖的是事故车，点赞已经两万多了"),
        ("safety", "车主刚在车友群里发了视频，说高速上突然没动力了，问我们怎么办"),
        ("violence", "那位大哥坐在展车里直播，说拿不到书面答复就不走"),
        ("social", "他说今晚前不给答复，就把录音剪一剪发到微博上"),
        ("legal", "车主诉我店隐瞒事故史一案，定于下周三开庭"),
    ],
    ids=lambda v: v[:14],
)
def test_a_crisis_of_each_kind_in_new_words_is_caught_by_the_rules(kind, text):
    signals = read(text, learned=False).signals
    assert signals, read(text).dismissed
    assert kind in {s.kind for s in signals}, [(s.kind, s.signal) for s in signals]
    for s in signals:  # the words as written, with a reason
        assert text[s.start : s.end] == s.signal and s.why


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        # denied, disclaimed or thought of and dropped
        ("legal", "打官司？犯不着，你们把车修好就行"),
        ("legal", "律师费比修车钱还贵，我才不去打官司"),
        ("legal", "起诉这种事太折腾了，我没那个精力"),
        ("legal", "起诉啥的我也不懂，就想问问保修怎么算"),
        ("authority", "本来想打12315的，后来想想还是算了"),
        ("authority", "消协的电话我有，但我没打，先等你们答复"),
        ("safety", "刹车失灵这种事我从来没遇到过，就是刹车有点响"),
        # incidental
        ("legal", "这台车是法院拍卖拍来的，想做个全面检测"),
        ("legal", "之前在法院门口那个停车场蹭了一下，想补个漆"),
        ("authority", "你们店被消协评为诚信单位，我才来的"),
        ("authority", "市场监管局的朋友说这车口碑不错"),
        ("violence", "你们门口拉的那个横幅写错字了哈哈"),
        ("violence", "周末你们店搞车友会，几十个车主一起自驾游"),
        ("safety", "路上看到一辆车着火了，我也想配个灭火器"),
        ("idiom", "这售后把我气炸了，三天能修好的拖了一个礼拜"),  # no trigger at all
        ("safety", "冬天早上排气管冒白烟，是水汽吧"),
        ("injury", "前阵子腰扭伤了，座椅能不能加个腰托"),
        ("safety", "打羽毛球扭了手腕，方向盘转不动，下周再来取车"),
        ("social", "有事我就发帖求助网友，你们客服太难打通"),
        ("legal", "我外甥就是干律师的，他说这个合同没问题"),
        ("legal", "下周要去法院参加朋友的婚礼公证，车能早点修好吗"),
        ("idiom", "你们上次办的媒体试驾活动挺有意思的"),  # no trigger at all
        ("safety", "同事开的别的牌子的车在高速上失控过，所以我特别看重安全配置"),
        # the kinds crisis_fresh6 and crisis_fresh7 raised falsely, in new words: a post denied with
        # 一个字都没; an event denied inside the words ("倒是没锁死"); a threat taken back as said in
        # anger; a step declared beneath the customer; a scene denied with 不是来; the dealer's own
        # banner; driving the car to the dealer; a hospital stay unrelated to the car while the
        # engine "打不着火" (no fire)
        ("social", "微博我一个字都没发，你们别听人瞎说"),
        ("safety", "方向盘倒是没锁死，就是转起来有点沉"),
        ("authority", "之前说要打12315是一时冲动，现在问题都解决了"),
        ("legal", "打官司那种事我可做不出来，大家好好商量"),
        ("violence", "我们不是来堵门的，就是想见见经理"),
        ("violence", "你们4S店楼顶的那条横幅写的什么"),
        ("idiom", "我脚踝扭了开不了车，麻烦你们派个代驾把车开到店里"),  # no trigger at all
        ("injury", "年初做手术住院两周，车放着没开，现在打不着火了"),
        # the kinds crisis_fresh8 raised falsely, in new words. Settled: a past step or event told
        # as over and resolved. Incidental: another errand at the court, the customer's own
        # profession, a need some day in the future, an event denied before the trapped words
        ("authority", "前年为这台车投诉过消协，后来你们给换了新的，事情早就翻篇了，今天来做保养"),
        ("safety", "去年夏天仪表台后面冒过一回烟，店里换了保险丝，此后再也没出过毛病"),
        ("legal", "那年跟你们打官司的事早就了结了，这回是朋友介绍我来买第二台"),
        ("social", "之前我把那段录音传到网上了，你们经理很快就处理好了，我已经撤掉了"),
        ("media", "上回说要找记者曝光是我一时气头上，后来你们处理得很好，已经没事了"),
        ("legal", "我下礼拜得去法院办些私人的事，提车能不能往后推两天"),
        ("legal", "我自己就是干律师这行的，工作日实在抽不开身，保养能约周日吗"),
        ("legal", "如果将来需要走法律程序，维修记录你们会保留多久"),
        ("safety", "宝宝并没有被关在车里，是我把钥匙忘在座位上了，车门打不开"),
        ("safety", "钥匙锁在车里了，车子自己落了锁，麻烦送一下备用钥匙"),
        ("legal", "去公证处办房产公证要车辆登记证的复印件，能帮我找一下吗"),
        # the kinds crisis_fresh9 raised falsely, in new words: a condition some day covering a
        # question; a joke someone else told; another errand at the court; a creator's business
        # request; settled steps and events told in new words
        ("legal", "假如将来真有纠纷，合同里约定的是哪个法院管辖？"),
        ("social", "同事打趣说要帮我发个抖音，我觉得没必要，你们处理得挺快的"),
        ("legal", "下周二我得去法院办离婚手续，车能周三再取吗"),
        ("social", "我们是做汽车测评的自媒体团队，想和贵店合作拍一期新车视频"),
        ("legal", "前年跟你们打的那场官司已经赢了，赔款也到账了，这次是来给老婆看车的"),
        ("violence", "上次在你们店门口拉横幅是一时糊涂，后来你们给我换了新车，今天来做首保"),
        ("safety", "那台车冒烟的事你们后来给我退了车，我现在开的是另一个牌子"),
        ("legal", "打官司那回事后来庭外和解了，钱也已经退回来了"),
        # the kinds crisis_fresh11 raised falsely, in new words: settled events told with 那个事,
        # a new car given and going well, a banner followed by a pennant; a post's likes counted
        # in praise stays praise only without a count
        ("safety", "前年自燃那个事你们给换了一台新车 现在开着挺好 今天来换机油"),
        ("violence", "当时一时冲动在你们门口拉过横幅 后来问题解决了 今天专门来送锦旗"),
        # the kinds crisis_fresh13 raised falsely, in new words: a lawyer friend recommending the
        # dealer; a step withdrawn right after it is named; an earlier event settled, 前期/不计较了
        ("legal", "我律师朋友在你们这买过车，说服务不错，推荐我来看看"),
        ("legal", "律师那边我已经撤了，钱也退回来了，这事就这样吧"),
        ("safety", "前期天窗夹手的事已经换了电机，也签了和解协议，这次来做保养"),
        ("violence", "上回几个车主到店里闹的事，经理后来都道歉了，我们也不计较了"),
        # the kinds crisis_fresh14 raised falsely, in new words: a scene read of elsewhere; a game's
        # shout; the media no longer contacted
        ("violence", "新闻里看到有人在4S店门口拉横幅，你们这边不会出这种事吧"),
        ("safety", "孩子在旁边打游戏一直喊炸了，不好意思您刚才说几点"),
        ("media", "记者那边我没再联系，你们给的方案我接受了"),
        # the kinds crisis_fresh15 and crisis_fresh16 raised falsely, in new words: a firm, a court
        # as the customer; words on a sticker; steps settled told as done; someone else's car;
        # the driver's own mistake; "nothing ahead" is no denial (see the misses)
        ("legal", "律师事务所行政部，想给两台公务车约一下保养"),
        ("legal", "法院车队有三台车要做年检，你们能上门吗"),
        ("media", "车门上那个“电视台”的贴纸是前车主贴的，能帮我去掉吗"),
        ("legal", "律师那边和解协议签完了，钱也收到了，不用再联系了"),
        ("authority", "消协那次调解谈妥了，我没意见了"),
        ("safety", "上回高速上熄火那次，换了油泵以后一切正常，谢谢"),
        ("safety", "同事那台车刹车失灵撞了，我就想问我的刹车片还剩多少"),
        ("safety", "倒车追尾是我自己走神，跟车没关系，问下喷漆多久"),
        # the kinds crisis_fresh18 and crisis_fresh20 raised falsely, in new words: words taken
        # back (exaggerated, a slip, said in anger, an offer refused); a scene at the shop next
        # door; the dealer's own smashing test; a mood 要爆炸; steps called off or closed; a
        # reporter asking about sales; a hypothetical question
        ("safety", "我说的“车子失控”是夸张了，其实就是方向有点飘"),
        ("safety", "上次工单上写的“起火”经核实是笔误，应为“起步”"),
        ("media", "我爸说要去找电视台，就是在气头上，他不会去的"),
        ("media", "有个记者朋友问我要不要帮忙报道，我没答应"),
        ("violence", "对面那家别的牌子的店门口拉横幅，把路都堵了，我晚点再过来"),
        ("violence", "你们搞的那个用锤子砸玻璃的安全测试活动，视频挺有意思"),
        ("safety", "等了两个小时没人理，我真的要爆炸了，能不能快点"),
        ("violence", "门口拉横幅那位客户已经协商好了，横幅已撤"),
        ("authority", "12315那边的投诉已处理完，客户点了已解决"),
        ("media", "我是记者，想了解一下你们店新车型的到店情况"),
        ("safety", "想问问要是碰撞时气囊没弹出来会怎样，我就好奇"),
        ("idiom", "排队排到心态炸了，今天还能修吗"),
        # … and what they raised falsely: the agent's question in a call; owners agreeing not to
        # go; a step withdrawn before a later mention; settled in a letter (履行完毕, 圆满结案,
        # the story not run); a video sent to the dealer's mailbox; an airbag light with no
        # crash; an article of a law read; smoke first taken for fire; a complaint line's number
        ("safety", "客户：空调不凉。坐席：请问开的时候有没有冒烟或者焦味？客户：那倒没有"),
        ("violence", "我们几个车主说好了，不去你们店门口闹，就等个答复"),
        ("legal", "我那个仲裁已经撤回了，仲裁委可能会打电话核实，你们照实说"),
        ("legal", "法院的调解书贵店已经履行完毕，双方再无争议，现在只想问下发票的事"),
        ("media", "去年报社记者找过我，后来你们处理得好，报道最后没有发"),
        ("social", "行车记录仪的视频已经发到贵店服务邮箱了，请查看技师试车的过程"),
        ("safety", "气囊灯亮了三天，车没有发生过任何碰撞，气囊也没弹出来，请安排检查"),
        ("legal", "我在看消费者权益保护法的时候注意到第五十五条，想问下你们的车有没有这种情况"),
        ("safety", "早上排气管冒白烟，我还以为着火了，其实是水汽"),
        ("social", "我看你们公众号上写着投诉电话，我不是投诉，就想问问保养价格"),
        # … and what they raised falsely: staff asking what to do if a customer goes to 12315;
        # training on media crises; news from another province; the dealer's own post going
        # viral; an insurer's repair with the airbags out; voice-to-text phrases with a denial
        # or a fear (spaces read as commas); a lawsuit settled in court and paid
        ("authority", "请教下各位，如果客户真去12315了，我们第一步该做什么"),
        ("media", "通知：下午内训课题是媒体危机应对，模拟记者闯入展厅，请准时参加"),
        ("violence", "外地那家店被砸车的新闻都看了吧，不是我们品牌，但大家自查一下"),
        ("social", "咱们店前天发的交车视频在抖音火了，播放十几万，评论都在问价"),
        ("safety", "保险公司送来的定损车，前脸撞烂了，气囊全弹了，按钣喷流程走"),
        ("legal", "有人叫俺去告你们 俺没那个心思 打官司费钱又费时 把空调修好就行"),
        ("violence", "这后门锁老是冻住 万一车里出事人出不来咋办 你们给看看"),
        ("legal", "俺那个官司在法院调解了 钱也打过来了 今天问问保养"),
        # … and what they raised falsely: a reporter turned down; a headache 炸了; a flagged
        # keyword checked and denied; someone else's car in the video; a ticket's advice for if
        # the customer raises the media; a customer who is a TV cameraman; tickets closed
        ("media", "电视台那边我已经回绝了，问题你们也解决了"),
        ("idiom", "修了三次还响，我每天听得头都炸了"),
        ("safety", "风险点：起火（关键词带出），经回听录音，客户说的是心里冒火，车辆无起火"),
        ("safety", "客户转来的自燃视频经核实并非其本人车辆，只想预约检查"),
        ("media", "处理建议：常规处理；如客户后续提出媒体诉求再升级。客户本次未提及"),
        ("media", "客户是电视台的摄像记者，预约周日保养，要求中午前取车"),
        ("safety", "关联工单（高速熄火）已于上月结案，厂方置换新车，本次为回访"),
        ("media", "原媒体风险已关闭，记者邮件确认不再跟进，当前诉求：补漆"),
        # … and what they raised falsely: a lawsuit against a third party; a steam scare called a
        # misunderstanding; a mediation over and signed
        ("legal", "我们的车被货车撞了，公司要走法律程序找货车那边，跟你们没关系，先报个价"),
        ("safety", "昨天说着火是误会，其实是水汽，麻烦看下空调"),
        ("authority", "消协那边上周就结束了，都签了字，今天约保养"),
        # the kinds crisis_fresh32, 34 and 35 raised falsely, in new words: a step stopped by the
        # customer (拦下来), a lawyer told to stop, an agreement signed, a Cantonese denial, 我儿 as
        # a relative, a post withdrawn
        ("media", "我老公本来要去找报社的，被我拦下来了，先看你们怎么处理"),
        ("legal", "律师那边我已经叫停了，你们给的方案我同意"),
        ("authority", "之前说要去市场监管局投诉的那位车主，今天签订了和解协议"),
        ("authority", "我唔会去消委会投诉，只系想问下保养几钱"),
        ("legal", "我儿是律师，他说这个合同没问题，我就问下保养时间"),
        ("authority", "客户说不会向12315或者消协投诉，只要把工时费退了"),
        ("legal", "之前的仲裁已经调解成功了，赔偿款上周到账"),
        ("legal", "告你们？还没到那一步，先把车修好再说"),
        ("authority", "市场监管局下发了关于二手车明码标价的通知，各店周五前自查"),
        ("violence", "那次横幅的事已经达成和解，本案关闭"),
        ("media", "我老公昨晚喝多了说要找电视台，今天自己都说没这回事，您别当真"),
        ("authority", "我们不想闹大，也不去什么消协，不打什么12315，就想店长出来说说"),
        ("injury", "他上周在家修水管把手划了，缝了五针，这阵子换他老婆开车"),
        ("legal", "之前委托律师那件事，双方已和解，赔偿款财务上周已打过去"),
        ("authority", "村主任说这事用不着去找市场监管，先跟店里好好商量"),
        ("media", "我上回说找记者那是气话，俺哪认识啥记者"),
        ("legal", "律师那边我已经让撤了，店里给换了新发动机"),
        ("authority", "公司和贵店合作这么多年，不会为这点事去找消协"),
        ("legal", "律师我是不会找的，打官司太累人"),
        ("media", "记者我一个都不认识，也没想找，就想让车别再响"),
        ("authority", "原来的12315投诉已由客户本人撤回，客户表示满意"),
        ("authority", "消协那边调解完了，退了一部分钱，后面正常来保养"),
        ("injury", "我打篮球把腿摔骨折了，事故车修好了让我爱人去取"),
        ("media", "车主说他不是那种去闹、去找媒体的人，就想把车修好"),
        ("safety", "车主说发动机舱“冒烟”，经检查为冷凝水遇热形成的水汽，非起火"),
        ("authority", "提醒大家：以后遇到加装纠纷，假如对方去消协，签字单据要完整"),
        ("safety", "假设我把车借给别人开，出了事故气囊没弹出来，厂家怎么认定？"),
        ("authority", "消协调解已完成，车主签了满意确认书，本案结"),
        ("social", "车主群里的投诉帖我也撤了，谢谢你们帮忙"),
    ],
    ids=lambda v: v[:14],
)
def test_a_false_alarm_of_each_kind_is_set_aside_with_why(kind, text):
    reading = read(text)
    assert reading.signals == [], [(s.kind, s.signal, s.why) for s in reading.signals]
    assert (reading.dismissed or kind == "idiom") and all(d.why for d in reading.dismissed)


def test_a_relatives_job_does_not_set_aside_the_customers_own_legal_step():
    text = "我表姐夫是律师，他说你们这是欺诈，我准备下礼拜就去立案"
    reading = read(text, learned=False)
    assert {s.signal for s in reading.signals} == {"律师", "立案"}, reading.dismissed
    assert reading.dismissed == []


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize(
    ("name", "recall_floor", "precision_floor"),
    [
        # First readings (before any change they led to): fresh3 0.769 / 0.909, fresh4 0.792 / 0.905.
        # Each was then used to find kinds of miss, so these floors guard the changes, not a goal.
        ("crisis_fresh3.tsv", 0.97, 0.97),
        ("crisis_fresh4.tsv", 0.92, 0.97),
        # fresh5 was written after every change above and read once: 0.833 / 0.862
        ("crisis_fresh5.tsv", 0.95, 0.95),
        # fresh6 was written after the last change, read once and never tuned on: 0.775 / 0.912;
        # its false alarms then led to changes (0.875 / 0.921 before them, 0.900 / 1.000 after)
        ("crisis_fresh6.tsv", 0.87, 0.97),
        # fresh7 was read once (0.883 / 0.914), then its misses and false alarms led to changes
        ("crisis_fresh7.tsv", 0.97, 0.97),
        # fresh8 was read once (0.817 / 0.831); its misses and false alarms then led to changes
        # (settled steps and events, incidental court and notary, new cues), so it is tuned on
        ("crisis_fresh8.tsv", 0.97, 0.97),
        # fresh9 was read once (0.800 / 0.833); its misses and false alarms then led to changes
        # (1.000 / 1.000 after them), so it is tuned on
        ("crisis_fresh9.tsv", 0.97, 0.97),
        # fresh10 was read once (0.775 / 0.886) and never tuned on: the honest figure after fresh9
        ("crisis_fresh10.tsv", 0.75, 0.85),
        # fresh11 was read once (0.683 / 0.872); its misses and false alarms then led to changes
        # and it joined the learned reading's training sets, so it is tuned on
        ("crisis_fresh11.tsv", 0.85, 0.95),
        # fresh12 was read once (0.880 / 0.880) and is never tuned on, nor trained on: the honest
        # figure after fresh11 (0.920 / 0.885 with the model trained on more sets)
        ("crisis_fresh12.tsv", 0.86, 0.85),
        # fresh13 was read once (0.717 / 0.896; 0.717 / 0.935 with the learned veto); its misses
        # and false alarms then led to changes (0.967 / 0.983 after them), so it is tuned on
        ("crisis_fresh13.tsv", 0.95, 0.95),
        # fresh14 was read once (0.800 / 0.941); its misses and false alarms then led to changes
        # (0.983 / 1.000 after them), so it is tuned on
        ("crisis_fresh14.tsv", 0.95, 0.95),
        # fresh15 was written after the fifth round's changes and read once (0.840 / 0.824); its
        # kinds then led to changes (0.920 / 0.979 after them), so it is tuned on
        ("crisis_fresh15.tsv", 0.90, 0.95),
        # fresh16 (all safety) was read once (0.820 / 0.872); its kinds then led to changes
        # (0.980 / 0.980 after them), so it is tuned on
        ("crisis_fresh16.tsv", 0.95, 0.95),
        # fresh17 was written beside fresh16 and read once, before and after fresh15's and
        # fresh16's kinds were fixed: 0.840 / 0.840 both times. Never tuned nor trained on.
        ("crisis_fresh17.tsv", 0.82, 0.82),
        # fresh18 (staff notes) and fresh20 (written channels) were written after the fifth round
        # and read once (0.860 / 0.827 and 0.760 / 0.826); their kinds then led to changes and
        # they joined the learned reading's training sets, so they are tuned on
        ("crisis_fresh18.tsv", 0.95, 0.95),
        ("crisis_fresh20.tsv", 0.95, 0.97),
        # fresh22 (short texts, EVs, slang) was written after the sixth round's first fixes and
        # read once (0.900 / 0.978); its kinds then led to changes, so it is tuned on
        ("crisis_fresh22.tsv", 0.97, 0.97),
        # fresh21 (calls written as turns) and fresh23 (long letters) were written beside fresh22
        # and read once (0.880 / 0.898 and 0.940 / 0.839); their kinds then led to changes, so
        # they are tuned on
        ("crisis_fresh21.tsv", 0.97, 0.97),
        ("crisis_fresh23.tsv", 0.97, 0.97),
        # fresh24 (staff work groups) and fresh25 (rural voice-to-text) were written after the
        # learned reading was trained on the guard's lines and read once (0.920 / 0.742 and
        # 0.880 / 0.815); their kinds then led to changes, so they are tuned on
        ("crisis_fresh24.tsv", 0.95, 0.92),
        ("crisis_fresh25.tsv", 0.97, 0.97),
        # fresh27 (social-media voices) and fresh28 (800-centre tickets) were written last and read
        # once (0.940 / 0.940 and 0.820 / 0.759); their kinds then led to changes, so they are tuned on
        ("crisis_fresh27.tsv", 0.95, 0.95),
        ("crisis_fresh28.tsv", 0.95, 0.92),
        # fresh29 (accidents and claims) and fresh30 (professional drivers), read once (0.880 /
        # 0.936 and 0.920 / 0.979) then tuned on
        ("crisis_fresh29.tsv", 0.97, 0.95),
        ("crisis_fresh30.tsv", 0.97, 0.97),
        # Never tuned nor trained on, read once with the sixth round's final code (a4b8a21):
        # fresh19 (customers' voices, written first) 0.900 / 0.833; fresh26 (a month's mix, written
        # mid-round) 0.940 / 0.940. The honest figures of the round.
        ("crisis_fresh19.tsv", 0.88, 0.80),
        ("crisis_fresh26.tsv", 0.92, 0.92),
        # fresh31 (a year's mix, written last) read once with the round's very last code (58afe8e):
        # 0.920 / 0.958; fresh26 read 0.960 / 0.941 then
        ("crisis_fresh31.tsv", 0.90, 0.92),
        # the seventh round: fresh32 (family WeChat), fresh34 (EVs) and fresh35 (older customers'
        # voices) read once (0.920 / 0.902, 0.920 / 0.920, 0.920 / 0.868); their false alarms then
        # led to changes and they joined the learned reading's training, so they are tuned on
        ("crisis_fresh32.tsv", 0.92, 0.95),
        ("crisis_fresh34.tsv", 0.92, 0.95),
        ("crisis_fresh35.tsv", 0.92, 0.95),
        # fresh36 (staff notes, review apps), fresh37 (working drivers, claims) and fresh38 (the
        # 800 hotline) read once (0.860 / 0.935, 0.920 / 0.979, 0.940 / 0.959); their kinds then
        # led to changes and they joined the learned reading's training, so they are tuned on
        ("crisis_fresh36.tsv", 0.92, 0.95),
        ("crisis_fresh37.tsv", 0.95, 0.95),
        ("crisis_fresh38.tsv", 0.95, 0.95),
        # fresh40 (the front desk; tricky non-crises) and fresh41 (young urban voices, slang) read
        # once (0.900 / 0.882, 0.900 / 0.978), then tuned on
        ("crisis_fresh40.tsv", 0.95, 0.95),
        ("crisis_fresh41.tsv", 0.95, 0.95),
        # fresh43 (country customers) and fresh44 (premium brands, formal letters) read once
        # (0.960 / 0.941, 0.960 / 0.980), then tuned on
        ("crisis_fresh43.tsv", 0.95, 0.95),
        ("crisis_fresh44.tsv", 0.95, 0.95),
        # fresh45 (accidents and their aftermath) and fresh46 (families) read once (0.960 / 0.941,
        # 0.940 / 0.922), then tuned on
        ("crisis_fresh45.tsv", 0.95, 0.95),
        ("crisis_fresh46.tsv", 0.95, 0.95),
        # fresh47 (the internet side) and fresh48 (staff's internal messages) read once (0.880 /
        # 0.957, 0.940 / 0.904), then tuned on
        ("crisis_fresh47.tsv", 0.95, 0.95),
        ("crisis_fresh48.tsv", 0.95, 0.95),
        # Never tuned nor trained on, read once with the seventh round's final code (f604a00):
        # fresh33 (a week of the desk's inbox) 0.920 / 0.902. The honest figure of the round.
        ("crisis_fresh33.tsv", 0.90, 0.88),
        # Never tuned nor trained on, written mid-round and read once with the round's final code
        # (1b223ff): fresh39 (a dealer group's month) 0.960 / 1.000, fresh42 (a quarter
        # nationwide) 0.940 / 1.000. The honest figures of the seventh round.
        ("crisis_fresh39.tsv", 0.94, 0.95),
        ("crisis_fresh42.tsv", 0.92, 0.95),
    ],
)
def test_fresh3_to_fresh28_keep_their_figures(name, recall_floor, precision_floor):
    rows = _rows(name)
    pairs = [(bool(find_signals(r["text"])), r["label"] == "1") for r in rows]
    tp = sum(p and y for p, y in pairs)
    recall = tp / sum(y for _, y in pairs)
    precision = tp / sum(p for p, _ in pairs)
    assert recall >= recall_floor and precision >= precision_floor, (recall, precision)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("车子自己往前一窜，直接顶到了前车屁股上", "safety"),
        ("我已经投诉到厂家总部了，你们等着吧", "authority"),
    ],
)
def test_analyze_shows_a_new_kind_with_its_words_and_why(api, text, kind):
    body = api("agent1").post("/api/v1/insights/analyze", {"text": text}).json()
    assert body["crisis"]["is_crisis"] is True and body["severity"]["value"] == "crisis"
    signals = [s for s in body["crisis"]["signals"] if s["kind"] == kind]
    assert signals
    for signal in signals:
        assert text[signal["start"] : signal["end"]] == signal["signal"]
        assert signal["why"] and signal["kind_label"]


@pytest.mark.django_db
def test_analyze_says_why_a_dropped_step_is_no_crisis(api):
    text = "本来想打12315的，后来想想还是算了"
    body = api("agent1").post("/api/v1/insights/analyze", {"text": text}).json()
    assert body["crisis"]["is_crisis"] is False and body["crisis"]["signals"] == []
    (dismissed,) = body["crisis"]["dismissed"]
    assert dismissed["signal"] == "12315" and dismissed["why"]


def test_a_scene_stopped_by_the_guards_is_still_a_scene():
    # "拦住了" by the customer takes a step back; by the dealer's guards it is the scene itself
    assert find_signals("那个客户拎着铁棍说要砸展车，保安拦住了")
    assert find_signals("律师那边还没停，你们再不给方案就开庭见")


@pytest.mark.parametrize(
    "text",
    [
        # the driver's own state, told in a forum post's words (the learned reading adds nothing)
        "没事，去年在山路上因为犯困一下子冲到路边沟里，急打方向又上来了，护板碎了",
        # a safety word waved away as old talk
        "这车动力够用，至于断轴什么的就不要再说了，多少年前的事",
    ],
)
def test_a_tired_driver_or_old_talk_is_no_crisis(text):
    assert not find_signals(text), read(text)
