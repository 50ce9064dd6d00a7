# The ring8 GAN loop of test/train/ring8.test.ts in PyTorch (1.13, CPU), used to choose its settings.
# Usage: /usr/bin/python3 ring8_gan.py seed=0 steps=2000 lrG=2e-3 lrD=2e-3 batch=512
# Prints "step:modes-covered/high-quality-fraction" every 1000 steps.
import torch, math, sys
torch.set_num_threads(1)
a=dict(steps=2000,batch=512,lrG=2e-3,lrD=2e-3,width=128,zdim=8,seed=0,b1=0.5,b2=0.999,depth=3)  # the test's settings
for kv in sys.argv[1:]:
    k,v=kv.split("="); a[k]=float(v) if isinstance(a[k],float) else int(v)
torch.manual_seed(a['seed'])
centres=torch.tensor([[2*math.cos(2*math.pi*k/8), 2*math.sin(2*math.pi*k/8)] for k in range(8)])
def data(n): return centres[torch.randint(0,8,(n,))]+0.02*torch.randn(n,2)
def mlp(i,o,act):
    L=[];d=i
    for _ in range(a['depth']): L+=[torch.nn.Linear(d,a['width']),act()]; d=a['width']
    L.append(torch.nn.Linear(d,o)); return torch.nn.Sequential(*L)
G=mlp(a['zdim'],2,torch.nn.ReLU); D=mlp(2,1,lambda: torch.nn.LeakyReLU(0.2))
for m in list(G.modules())+list(D.modules()):
    if isinstance(m,torch.nn.Linear): torch.nn.init.normal_(m.weight,0,1/math.sqrt(m.in_features)); torch.nn.init.zeros_(m.bias)
oG=torch.optim.Adam(G.parameters(),a['lrG'],betas=(a['b1'],a['b2'])); oD=torch.optim.Adam(D.parameters(),a['lrD'],betas=(a['b1'],a['b2']))
sp=torch.nn.functional.softplus; out=[]
for s in range(1,a['steps']+1):
    x=data(a['batch']); z=torch.randn(a['batch'],a['zdim']); f=G(z)
    lD=sp(-D(x)).mean()+sp(D(f.detach())).mean(); oD.zero_grad(); lD.backward(); oD.step()
    lG=sp(-D(f)).mean(); oG.zero_grad(); lG.backward(); oG.step()
    if s%1000==0:
        with torch.no_grad(): p=G(torch.randn(2000,a['zdim']))
        d=torch.cdist(p,centres); c=(d<0.06).sum(0)
        out.append('%d:%d/%.2f'%(s,int((c>0).sum()),float((d.min(1).values<0.06).float().mean())))
print(' '.join(out))
